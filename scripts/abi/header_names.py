#!/usr/bin/env python3
"""Prints every name include/ftp.h puts into a C program's scope, one per
line as "KIND NAME": macros, typedefs, struct/enum tags, enum constants,
functions and variables. Used by scripts/check-abi.sh.

The compiler reads the header, not a regular expression: clang's JSON AST
gives the declarations, `clang -E -dM` the macros. The system headers
ftp.h includes are replaced by tiny stubs (-nostdinc), so that everything
left in the translation unit comes from ftp.h; the stubs' own names are
then removed. A new system include in ftp.h fails here until a stub is
added below.

usage: header_names.py HEADER_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

INT_TYPES = ["int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
             "uint64_t", "intptr_t", "uintptr_t"]
STUBS = {
    "stdint.h": "".join("typedef __%s_TYPE__ %s;\n" % (t[:-2].upper(), t) for t in INT_TYPES),
    "stddef.h": "typedef __SIZE_TYPE__ size_t;\ntypedef __PTRDIFF_TYPE__ ptrdiff_t;\n"
                "#define NULL ((void *)0)\n",
    "stdbool.h": "#define bool _Bool\n#define true 1\n#define false 0\n"
                 "#define __bool_true_false_are_defined 1\n",
}
STUB_NAMES = set(INT_TYPES) | {"size_t", "ptrdiff_t", "NULL", "bool", "true", "false",
                               "__bool_true_false_are_defined"}


def clang(args, src):
    return subprocess.run(["clang", "-std=c11", "-nostdinc"] + args + [src],
                          check=True, capture_output=True, text=True).stdout


def main():
    inc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        for f, text in STUBS.items():
            with open(os.path.join(d, f), "w") as out:
                out.write(text)
        ignored = STUB_NAMES
        tu = os.path.join(d, "tu.c")
        empty = os.path.join(d, "empty.c")
        with open(tu, "w") as f:
            f.write('#include "ftp.h"\n')
        with open(empty, "w") as f:
            f.write("\n")
        flags = ["-isystem", d, "-I", inc]

        builtin = set(clang(["-E", "-dM"] + flags, empty).splitlines())
        for line in clang(["-E", "-dM"] + flags, tu).splitlines():
            if line not in builtin:
                name = line.split()[1].split("(")[0]
                if name not in ignored:
                    print("macro", name)

        ast = json.loads(clang(["-fsyntax-only", "-Xclang", "-ast-dump=json"] + flags, tu))
        for node in ast.get("inner", []):
            if node.get("isImplicit") or "name" not in node:
                continue
            kind, name = node["kind"], node["name"]
            if name in ignored:
                continue
            print({"TypedefDecl": "typedef", "RecordDecl": "tag", "EnumDecl": "tag",
                   "FunctionDecl": "function", "VarDecl": "variable"}.get(kind, kind), name)
            if kind == "EnumDecl":
                for c in node.get("inner", []):
                    if c.get("kind") == "EnumConstantDecl":
                        print("enumerator", c["name"])


if __name__ == "__main__":
    main()
