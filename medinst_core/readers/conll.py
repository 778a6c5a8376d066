"""CoNLL / IOB reader (``conll``): one token per line, blank line between sentences.

Format
------
Each non-blank line holds columns separated by a tab or by white space
(``separator``: ``"auto"`` uses tabs when the line has one, else runs of white
space); the token is column ``token_column`` (default 0) and the tag column
``tag_column`` (default -1, the last).  A line whose token starts with
``docstart`` (default ``-DOCSTART-``) starts a new document and is not a
token; lines starting with ``comment_prefix`` (default none) are skipped.
Tags follow ``scheme``:

* ``iob2`` (default): ``B-X`` begins, ``I-X`` continues, ``O`` outside;
* ``iob1``: ``I-X`` begins unless it continues an ``X`` mention; ``B-X`` only
  separates two adjacent ``X`` mentions;
* ``iobes`` / ``bilou``: ``S-X``/``U-X`` single-token, ``E-X``/``L-X`` last.

Untyped tags (``B``, ``I``...) get the type ``default_type`` (``"Entity"``).
An ``I`` that cannot continue a mention (after ``O`` or another type in
``iob2``) starts one, counted as a ``conll_orphan_inside`` warning; an unknown
tag is an error.

Records
-------
One :class:`~medinst_core.records.KBRecord` per sentence, ids ``"0"``,
``"1"``... in order over all files of the split.  ``document_id`` is the
document number ``"d0"``, ``"d1"``... when the files have ``docstart`` lines,
else the sentence id.  ``tokens`` and ``tags`` keep the original sequences
(tags exactly as written, for BIO-style tasks).  The passage ``P0`` (type
``sentence``) is the tokens joined by single spaces; entities (ids ``T0``,
``T1``...) are rebuilt from the tags with offsets into that text, so an
entity's text is its tokens joined by single spaces.

Options
-------
``scheme`` (``"iob1"`` | ``"iob2"`` | ``"iobes"`` | ``"bilou"``, ``"iob2"``)
``token_column`` (int, ``0``)
``tag_column`` (int, ``-1``)
``separator`` (``"auto"`` | ``"tab"`` | ``"whitespace"``, ``"auto"``)
``docstart`` (str or null, ``"-DOCSTART-"``)
``comment_prefix`` (str or null, ``null``)
``default_type`` (str, ``"Entity"``)

The files are read line by line; memory use is one sentence.
"""
