/* The program of the "links alone" check (CMakeLists.txt mqtk_link_alone): it only has to link. */
int main(void)
{
    return 0;
}
