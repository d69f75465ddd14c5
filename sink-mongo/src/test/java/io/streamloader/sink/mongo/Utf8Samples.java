package io.streamloader.sink.mongo;

import java.util.List;

/** UTF-8 byte sequences (hex) at the edges of well-formedness, for the tests of the fast JSON path. */
final class Utf8Samples {
    /**
     * Empty, ASCII, two- to four-byte characters, the highest code points, a BOM, and ill-formed ones: overlong forms,
     * surrogates, code points past U+10FFFF, stray continuation bytes, truncated sequences.
     */
    static final List<String> EDGES = List.of(
            "",
            "41",
            "c3a9",
            "e282ac",
            "f09f9880",
            "efbfbf",
            "f48fbfbf",
            "c080",
            "c1bf",
            "e08080",
            "e09fbf",
            "eda080",
            "edbfbf",
            "ed9fbf",
            "ee8080",
            "f0808080",
            "f08fbfbf",
            "f4908080",
            "f5808080",
            "ff",
            "80",
            "c3",
            "e282",
            "f09f98",
            "c328",
            "e228a1",
            "f0289f98",
            "eda080edb080",
            "bf",
            "efbbbf");

    private Utf8Samples() {}
}
