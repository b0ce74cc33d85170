/* libmqtk-alloc-count — an LD_PRELOAD shim that counts every heap allocation of the process and hands
 * it on to the C library's own allocator (glibc's __libc_* entry points, so no dlsym bootstrap is
 * needed). mqtk-bench reads mqtk_alloc_calls around its decode and encode passes. The benchmark is
 * single-threaded, so a plain counter is enough. */
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

/* Exported: the number of allocating calls so far. */
unsigned long mqtk_alloc_calls;

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void *memalign(size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);

void *malloc(size_t size)
{
    mqtk_alloc_calls++;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    mqtk_alloc_calls++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    mqtk_alloc_calls++;
    return __libc_realloc(p, size);
}

void free(void *p)
{
    __libc_free(p);
}

void *memalign(size_t align, size_t size)
{
    mqtk_alloc_calls++;
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    mqtk_alloc_calls++;
    return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    mqtk_alloc_calls++;
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
