#!/usr/bin/env python3
"""Build the statement registry of a version from the standard's statement list and our annotations.

    make-registry.py SPEC_STATEMENTS_TSV ANNOTATIONS_TSV OUTPUT_TSV

SPEC_STATEMENTS_TSV is the list shipped with the standards (columns id, section, text, applies_to,
note); only id and section are taken from it, never the text. ANNOTATIONS_TSV (ours, in
suite/statements/) gives per id: applies_to (checked against the sentence), observable
("yes" or "no: reason") and a one-line summary in our own words. The output has the columns
id, section, applies_to, observable, summary, in the standard's order. Standard library only.
"""
import csv
import sys

APPLIES = {"Server", "Client", "Both"}


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    spec = read_tsv(argv[1])
    notes = {row["id"]: row for row in read_tsv(argv[2])}
    errors = []
    spec_ids = [row["id"] for row in spec]
    for missing in sorted(set(spec_ids) - set(notes)):
        errors.append(f"{argv[2]}: no annotation for {missing}")
    for extra in sorted(set(notes) - set(spec_ids)):
        errors.append(f"{argv[2]}: {extra} is not a statement of the standard")
    for row in notes.values():
        if row["applies_to"] not in APPLIES:
            errors.append(f"{row['id']}: applies_to must be one of {sorted(APPLIES)}")
        obs = row["observable"]
        if obs != "yes" and not (obs.startswith("no: ") and len(obs) > 4):
            errors.append(f"{row['id']}: observable must be 'yes' or 'no: reason'")
        if not row["summary"].strip() or "\t" in row["summary"]:
            errors.append(f"{row['id']}: empty summary")
    if errors:
        sys.exit("\n".join(errors))
    with open(argv[3], "w", encoding="utf-8", newline="") as out:
        out.write("id\tsection\tapplies_to\tobservable\tsummary\n")
        for row in spec:
            note = notes[row["id"]]
            out.write("\t".join([row["id"], row["section"], note["applies_to"], note["observable"],
                                 note["summary"]]) + "\n")
    print(f"{argv[3]}: {len(spec)} statements")


if __name__ == "__main__":
    main(sys.argv)
