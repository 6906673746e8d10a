/* The compiled parts of a large load.
 *
 * 1. The fast YAML reader of loaders/yamlfast.py. read(text, max_depth,
 *    max_nodes) returns exactly what loaders.yamlfast.read_fast_py returns
 *    for the same arguments: the same tree of MarkedMap / MarkedList / str
 *    with the same mark, value marks (kept packed, see
 *    MarkedMap.value_marks), item_marks and _key_lines, or UNSUPPORTED
 *    wherever the Python reader gives up (the caller then reads the file
 *    with the reference reader). The Python reader is the specification;
 *    each branch below names the Python condition it mirrors.
 *    tests/test_fastpath.py compares the two and the reference reader on
 *    every corpus we have.
 * 2. maker(cls): records (frozen slotted dataclasses) made by storing
 *    their slots (loaders.fastmake).
 * 3. The quick relation path of loaders.factbase: relation_fields_from
 *    (pass 1) and relation(s_from) (pass 2); see "the quick relation path".
 * 4. edge_attrs / edge_fill: the core graph's edge attributes and
 *    adjacency (graph.core.build).
 *
 * Columns are code points, as in Python, so the text is read in its own
 * storage (1, 2 or 4 bytes per character) rather than as UTF-8.
 *
 * setup(MarkedMap, MarkedList, Mark, UNSUPPORTED) must be called once
 * first: it checks that the classes have the layout this file relies on
 * (dict / list / tuple subclasses with __slots__, no custom __new__ or
 * __init__) and remembers the slot offsets, so that making a node costs a
 * C allocation, not a Python call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static PyTypeObject *MapType, *ListType, *MarkType;
static PyObject *Unsupported, *EmptyTuple, *TwoQuotes, *OneQuote, *EdgeRelation;
static Py_ssize_t off_map_mark, off_map_value_marks, off_map_packed, off_map_key_lines, off_list_mark, off_list_item_marks;

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* ---- setup ------------------------------------------------------------ */

static int
slot_offset(PyTypeObject *type, const char *name, Py_ssize_t *offset)
{
    PyObject *descr = PyDict_GetItemString(type->tp_dict, name);  /* borrowed */
    if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a __slots__ member", type->tp_name, name);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX || (member->flags & READONLY)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a writable object slot", type->tp_name, name);
        return -1;
    }
    *offset = member->offset;
    return 0;
}

static int
check_type(PyObject *obj, PyTypeObject *base, const char *what)
{
    if (!PyType_Check(obj) || !PyType_IsSubtype((PyTypeObject *)obj, base)) {
        PyErr_Format(PyExc_TypeError, "%s must be a %s subclass", what, base->tp_name);
        return -1;
    }
    PyTypeObject *type = (PyTypeObject *)obj;
    if (type->tp_new != base->tp_new || type->tp_init != base->tp_init) {
        PyErr_Format(PyExc_TypeError, "%s must not define __new__ or __init__", what);
        return -1;
    }
    return 0;
}

static PyObject *
setup(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "setup(MarkedMap, MarkedList, Mark, UNSUPPORTED)");
        return NULL;
    }
    if (check_type(args[0], &PyDict_Type, "MarkedMap") < 0 || check_type(args[1], &PyList_Type, "MarkedList") < 0)
        return NULL;
    if (!PyType_Check(args[2]) || !PyType_IsSubtype((PyTypeObject *)args[2], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Mark must be a tuple subclass");
        return NULL;
    }
    PyTypeObject *mark = (PyTypeObject *)args[2];
    /* A namedtuple: no __dict__, no extra slots, tuple's own storage (its
     * Python __new__ is bypassed, as yamlfast does with tuple.__new__). */
    if (mark->tp_basicsize != PyTuple_Type.tp_basicsize || mark->tp_itemsize != PyTuple_Type.tp_itemsize
        || mark->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "Mark must be a plain tuple subclass (a NamedTuple)");
        return NULL;
    }
    PyTypeObject *map = (PyTypeObject *)args[0], *list = (PyTypeObject *)args[1];
    if (slot_offset(map, "mark", &off_map_mark) < 0 || slot_offset(map, "_value_marks", &off_map_value_marks) < 0
        || slot_offset(map, "_packed", &off_map_packed) < 0
        || slot_offset(map, "_key_lines", &off_map_key_lines) < 0 || slot_offset(list, "mark", &off_list_mark) < 0
        || slot_offset(list, "item_marks", &off_list_item_marks) < 0)
        return NULL;
    if (EmptyTuple == NULL) {
        EmptyTuple = PyTuple_New(0);
        TwoQuotes = PyUnicode_FromString("''");
        OneQuote = PyUnicode_FromString("'");
        if (EmptyTuple == NULL || TwoQuotes == NULL || OneQuote == NULL)
            return NULL;
    }
    Py_INCREF(map); Py_XSETREF(MapType, map);
    Py_INCREF(list); Py_XSETREF(ListType, list);
    Py_INCREF(mark); Py_XSETREF(MarkType, mark);
    Py_INCREF(args[3]); Py_XSETREF(Unsupported, args[3]);
    Py_RETURN_NONE;
}

/* ---- keys --------------------------------------------------------------- */

/* Keys repeat across a whole fact base (a few dozen words), so each is made
 * once, interned (the loader's own literals are the same objects, and the
 * hash is computed once), and kept in a small direct-mapped cache. */
#define KEY_CACHE 1024
#define KEY_MAX 48
static PyObject *key_cache[KEY_CACHE];

/* ---- the reader ----------------------------------------------------------- */

typedef struct {
    PyObject *container;  /* borrowed: the tree owns it */
    Py_ssize_t indent;
    int is_map;
    Py_ssize_t marks_start;  /* a map's first value mark in Reader.marks */
} Frame;

typedef struct {
    PyObject *text;
    const void *data;
    Py_ssize_t n;
    Py_ssize_t line_start;  /* index of the current line's first character */
    Py_ssize_t lineno;
    PyObject *line_obj;     /* the int of the current line, made once per line */
    Py_ssize_t line_obj_no;
    Frame *stack;
    Py_ssize_t depth, cap;
    /* The value marks of the open maps, (line, col) pairs, each map's
     * contiguous above its parent's: maps open and close in stack order,
     * and a map's marks become its _packed bytes when it closes. */
    int32_t *marks;
    Py_ssize_t nmarks, marks_cap;
} Reader;

#define BAIL 1
#define ERROR (-1)

static ALWAYS_INLINE Py_UCS4
ch(int kind, const void *data, Py_ssize_t i)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND: return ((const Py_UCS1 *)data)[i];
    case PyUnicode_2BYTE_KIND: return ((const Py_UCS2 *)data)[i];
    default: return ((const Py_UCS4 *)data)[i];
    }
}

#define C(i) ch(kind, r->data, (i))

static PyObject *
new_mark(Reader *r, Py_ssize_t col)
{
    if (r->line_obj_no != r->lineno) {
        PyObject *line = PyLong_FromSsize_t(r->lineno);
        if (line == NULL)
            return NULL;
        Py_XSETREF(r->line_obj, line);
        r->line_obj_no = r->lineno;
    }
    PyObject *c = PyLong_FromSsize_t(col);
    if (c == NULL)
        return NULL;
#if PY_VERSION_HEX >= 0x030E0000
    /* 3.14 tuples cache their hash in a field tp_alloc does not set: let
     * tuple's own constructor make the subclass instance. */
    PyObject *items = PyTuple_Pack(2, r->line_obj, c);
    Py_DECREF(c);
    if (items == NULL)
        return NULL;
    PyObject *args = PyTuple_Pack(1, items);
    Py_DECREF(items);
    if (args == NULL)
        return NULL;
    PyObject *t = PyTuple_Type.tp_new(MarkType, args, NULL);
    Py_DECREF(args);
    return t;
#else
    /* Allocated as tuple's own allocator does, and never tracked by the
     * collector: two ints cannot be part of a cycle, and a large load makes
     * millions of marks that a collection would otherwise walk (CPython
     * untracks plain tuples like these itself, but not subclasses). */
    PyObject *t = (PyObject *)PyObject_GC_NewVar(PyTupleObject, MarkType, 2);
    if (t == NULL) {
        Py_DECREF(c);
        return NULL;
    }
    Py_INCREF(r->line_obj);
    PyTuple_SET_ITEM(t, 0, r->line_obj);
    PyTuple_SET_ITEM(t, 1, c);
    return t;
#endif
}

static PyObject *
new_map(Reader *r, Py_ssize_t col)
{
    PyObject *m = MapType->tp_new(MapType, EmptyTuple, NULL);
    if (m == NULL)
        return NULL;
    PyObject *mark = new_mark(r, col);
    if (mark == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    SLOT(m, off_map_mark) = mark;
    return m;  /* its value marks are packed when it closes (close_frame) */
}

static PyObject *
new_list(Reader *r, Py_ssize_t col)
{
    PyObject *l = ListType->tp_new(ListType, EmptyTuple, NULL);
    if (l == NULL)
        return NULL;
    PyObject *mark = new_mark(r, col);
    PyObject *marks = mark ? PyList_New(0) : NULL;
    if (marks == NULL) {
        Py_XDECREF(mark);
        Py_DECREF(l);
        return NULL;
    }
    SLOT(l, off_list_mark) = mark;
    SLOT(l, off_list_item_marks) = marks;
    return l;
}

static int
push(Reader *r, PyObject *container, Py_ssize_t indent, int is_map)
{
    if (r->depth == r->cap) {
        Py_ssize_t cap = r->cap ? 2 * r->cap : 16;
        Frame *stack = PyMem_Realloc(r->stack, (size_t)cap * sizeof(Frame));
        if (stack == NULL) {
            PyErr_NoMemory();
            return ERROR;
        }
        r->stack = stack;
        r->cap = cap;
    }
    r->stack[r->depth].container = container;
    r->stack[r->depth].indent = indent;
    r->stack[r->depth].is_map = is_map;
    r->stack[r->depth].marks_start = r->nmarks;
    r->depth++;
    return 0;
}

/* The top frame closes: a map gets its value marks, packed. */
static int
close_frame(Reader *r)
{
    Frame *top = &r->stack[--r->depth];
    if (!top->is_map)
        return 0;
    Py_ssize_t start = top->marks_start;
    PyObject *packed = PyBytes_FromStringAndSize((const char *)(r->marks + 2 * start),
                                                 (r->nmarks - start) * 2 * (Py_ssize_t)sizeof(int32_t));
    if (packed == NULL)
        return ERROR;
    Py_XSETREF(SLOT(top->container, off_map_packed), packed);
    r->nmarks = start;
    return 0;
}

/* The value mark of the top map's next key. */
static int
add_mark(Reader *r, PyObject *map, Py_ssize_t line, Py_ssize_t col)
{
    if (r->depth == 0 || r->stack[r->depth - 1].container != map || line > INT32_MAX || col > INT32_MAX) {
        PyErr_SetString(PyExc_SystemError, "_yamlfast: a value mark for a map that is not the innermost open one");
        return ERROR;
    }
    if (r->nmarks == r->marks_cap) {
        Py_ssize_t cap = r->marks_cap ? 2 * r->marks_cap : 64;
        int32_t *marks = PyMem_Realloc(r->marks, (size_t)cap * 2 * sizeof(int32_t));
        if (marks == NULL) {
            PyErr_NoMemory();
            return ERROR;
        }
        r->marks = marks;
        r->marks_cap = cap;
    }
    r->marks[2 * r->nmarks] = (int32_t)line;
    r->marks[2 * r->nmarks + 1] = (int32_t)col;
    r->nmarks++;
    return 0;
}

/* value (stolen) appended to list, with its mark at column col */
static int
append_item(Reader *r, PyObject *list, PyObject *value, Py_ssize_t col)
{
    int failed = PyList_Append(list, value);
    Py_DECREF(value);
    if (failed)
        return ERROR;
    PyObject *mark = new_mark(r, col);
    if (mark == NULL)
        return ERROR;
    failed = PyList_Append(SLOT(list, off_list_item_marks), mark);
    Py_DECREF(mark);
    return failed ? ERROR : 0;
}

/* map[key] = value (stolen), its value mark (line, col) */
static int
set_value(Reader *r, PyObject *map, PyObject *key, PyObject *value, Py_ssize_t line, Py_ssize_t col)
{
    int failed = PyDict_SetItem(map, key, value);
    Py_DECREF(value);
    return failed ? ERROR : add_mark(r, map, line, col);
}

static ALWAYS_INLINE int
is_null_word(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e)
{
    /* ~, null, Null, NULL: the reference reader's None */
    if (e - s == 1)
        return C(s) == '~';
    if (e - s != 4)
        return 0;
    Py_UCS4 a = C(s), b = C(s + 1), c = C(s + 2), d = C(s + 3);
    if (a == 'n')
        return b == 'u' && c == 'l' && d == 'l';
    if (a == 'N')
        return (b == 'u' && c == 'l' && d == 'l') || (b == 'U' && c == 'L' && d == 'L');
    return 0;
}

/* _SPECIAL: first characters of a value left to the reference reader */
static ALWAYS_INLINE int
is_special(Py_UCS4 c)
{
    return c < 128 && c && strchr("{&*!|>-?:%@`,]}#", (int)c) != NULL;
}

/* the first-character class that _PLAIN and _PLAIN_BLOCK exclude */
static ALWAYS_INLINE int
not_plain_first(Py_UCS4 c)
{
    return c < 128 && c && strchr("-?:,[]{}#&*!|>'\"%@` ", (int)c) != NULL;
}

/* after a quoted scalar or a flow list: nothing, spaces, or " # comment" */
static ALWAYS_INLINE int
tail_ok(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t i = s;
    while (i < e && C(i) == ' ')
        i++;
    if (i == e)
        return 1;
    return i > s && C(i) == '#';
}

/* ": " or " #" in [s, e): a plain value the quick path cannot take whole */
static ALWAYS_INLINE int
has_colon_or_comment(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e)
{
    for (Py_ssize_t i = s; i + 1 < e; i++) {
        Py_UCS4 a = C(i), b = C(i + 1);
        if ((a == ':' && b == ' ') || (a == ' ' && b == '#'))
            return 1;
    }
    return 0;
}

static ALWAYS_INLINE PyObject *
substring(Reader *r, Py_ssize_t s, Py_ssize_t e)
{
    return PyUnicode_Substring(r->text, s, e);
}

/* yamlfast._scalar: the value of a one-line block scalar, in *out */
static ALWAYS_INLINE int
scalar(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e, PyObject **out)
{
    Py_UCS4 first = C(s);
    Py_ssize_t j = s + 1;
    PyObject *value;
    if (first == '"') {
        while (j < e && C(j) != '"' && C(j) != '\\')
            j++;
        if (j >= e || C(j) != '"')
            return BAIL;
        if (!tail_ok(kind, r, j + 1, e))
            return BAIL;
        value = substring(r, s + 1, j);
    }
    else if (first == '\'') {
        int pairs = 0;
        while (j < e) {
            if (C(j) != '\'')
                j++;
            else if (j + 1 < e && C(j + 1) == '\'') {
                j += 2;
                pairs = 1;
            }
            else
                break;
        }
        /* No lone closing quote: whatever the regex backtracks to ends at
         * a doubled quote, and the tail starting with ' makes it give up. */
        if (j >= e)
            return BAIL;
        if (!tail_ok(kind, r, j + 1, e))
            return BAIL;
        value = substring(r, s + 1, j);
        if (value != NULL && pairs)
            Py_SETREF(value, PyUnicode_Replace(value, TwoQuotes, OneQuote, -1));
    }
    else {
        if (not_plain_first(first))
            return BAIL;
        /* _PLAIN_BLOCK: up to ": ", a final ":", or " #" */
        for (; j < e; j++) {
            Py_UCS4 c = C(j);
            if (c == ':') {
                if (j + 1 == e || C(j + 1) == ' ')
                    break;
            }
            else if (c == '#' && C(j - 1) == ' ')
                break;
        }
        if (j < e && C(j) != '#')
            return BAIL;
        Py_ssize_t end = j;
        while (end > s && C(end - 1) == ' ')
            end--;
        if (is_null_word(kind, r, s, end))
            return BAIL;
        value = substring(r, s, end);
    }
    if (value == NULL)
        return ERROR;
    *out = value;
    return 0;
}

/* yamlfast._flow_list: `[a, b]` starting at s (the `[`), in *out */
static ALWAYS_INLINE int
flow_list(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e, PyObject **out)
{
    Py_ssize_t close = e - 1;
    while (close >= s && C(close) != ']')
        close--;
    if (close < s)
        return BAIL;
    if (!tail_ok(kind, r, close + 1, e))
        return BAIL;
    Py_ssize_t i, body = s + 1;
    for (i = body; i < close && C(i) == ' '; i++)
        ;
    int empty = i == close;
    if (!empty) {
        /* quoted items may hold commas: left to libyaml */
        for (i = body; i < close; i++)
            if (C(i) == '\'' || C(i) == '"')
                return BAIL;
    }
    PyObject *items = new_list(r, s - r->line_start + 1);
    if (items == NULL)
        return ERROR;
    if (empty) {
        *out = items;
        return 0;
    }
    Py_ssize_t part = body;
    while (part <= close) {
        Py_ssize_t end = part;
        while (end < close && C(end) != ',')
            end++;
        Py_ssize_t a = part, b = end;
        while (a < b && C(a) == ' ')
            a++;
        if (a == b)
            goto bail;
        while (C(b - 1) == ' ')
            b--;
        /* _PLAIN, in full */
        if (not_plain_first(C(a)))
            goto bail;
        for (i = a + 1; i < b; i++) {
            Py_UCS4 c = C(i);
            if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#' || c == ':')
                goto bail;
        }
        if (is_null_word(kind, r, a, b))
            goto bail;
        PyObject *value = substring(r, a, b);
        if (value == NULL || append_item(r, items, value, a - r->line_start + 1) < 0) {
            Py_DECREF(items);
            return ERROR;
        }
        part = end + 1;
    }
    *out = items;
    return 0;
bail:
    Py_DECREF(items);
    return BAIL;
}

static ALWAYS_INLINE PyObject *
make_key(int kind, Reader *r, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t len = e - s;
    if (len > KEY_MAX)
        return substring(r, s, e);
    /* keys are ASCII identifiers: FNV-1a over their characters */
    Py_uhash_t h = 2166136261u;
    for (Py_ssize_t i = s; i < e; i++)
        h = (h ^ C(i)) * 16777619u;
    PyObject **slot = &key_cache[h % KEY_CACHE];
    PyObject *cached = *slot;
    if (cached != NULL && PyUnicode_GET_LENGTH(cached) == len) {
        const Py_UCS1 *k = PyUnicode_1BYTE_DATA(cached);
        Py_ssize_t i = 0;
        while (i < len && k[i] == C(s + i))
            i++;
        if (i == len) {
            Py_INCREF(cached);
            return cached;
        }
    }
    PyObject *key = substring(r, s, e);
    if (key == NULL)
        return NULL;
    PyUnicode_InternInPlace(&key);
    Py_INCREF(key);
    Py_XSETREF(*slot, key);
    return key;
}

static ALWAYS_INLINE int
is_key_first(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static ALWAYS_INLINE int
is_key_char(Py_UCS4 c)
{
    return is_key_first(c) || (c >= '0' && c <= '9') || c == '-';
}

/* yamlfast._read: 0 with the root in *out, BAIL or ERROR */
static ALWAYS_INLINE int
read_lines(int kind, Reader *r, Py_ssize_t max_depth, PyObject **out)
{
    const Py_ssize_t n = r->n;
    PyObject *root = NULL, *key = NULL;
    /* A `key:` with nothing after it: its map (borrowed), key (owned), indent. */
    PyObject *pmap = NULL, *pkey = NULL;
    Py_ssize_t pindent = 0, pline = 0;
    int status = 0;
    Py_ssize_t pos = 0;
    for (;;) {
        const Py_ssize_t start = pos;
        Py_ssize_t end = start;
        while (end < n && C(end) != '\n')
            end++;
        r->lineno++;
        r->line_start = start;

        /* _ROWS: indent, "- ", key ":" gap, rest */
        Py_ssize_t i = start;
        while (i < end && C(i) == ' ')
            i++;
        Py_ssize_t indent = i - start, dash = 0, key_s = -1, key_e = -1;
        if (i < end && C(i) == '-' && (i + 1 == end || C(i + 1) == ' ')) {
            Py_ssize_t j = i + 1;
            while (j < end && C(j) == ' ')
                j++;
            dash = j - i;
            i = j;
        }
        if (i < end && is_key_first(C(i))) {
            Py_ssize_t j = i + 1;
            while (j < end && is_key_char(C(j)))
                j++;
            if (j < end && C(j) == ':' && (j + 1 == end || C(j + 1) == ' ')) {
                key_s = i;
                key_e = j;
                i = j + 1;
                while (i < end && C(i) == ' ')
                    i++;
            }
        }
        const Py_ssize_t rs = i, re = end;

        if (!dash && key_s < 0) {
            if (rs == re || C(rs) == '#')
                goto next;  /* blank or comment line */
            goto bail;      /* a scalar on its own line */
        }
        if (root == NULL) {
            if (indent || dash)
                goto bail;  /* the document is not a mapping at column 1 */
            root = new_map(r, 1);
            if (root == NULL || push(r, root, 0, 1) < 0)
                goto error;
        }
        if (pkey != NULL) {
            PyObject *child;
            int kind_is_map;
            if (dash && indent >= pindent) {
                child = new_list(r, indent + 1);
                kind_is_map = 0;
            }
            else if (key_s >= 0 && indent > pindent) {
                child = new_map(r, indent + 1);
                kind_is_map = 1;
            }
            else
                goto bail;  /* an empty value (null) */
            if (child == NULL)
                goto error;
            if (r->depth + 1 >= max_depth) {
                Py_DECREF(child);
                goto bail;
            }
            /* the child's mark: this line, its column */
            if (set_value(r, pmap, pkey, child, r->lineno, indent + 1) < 0)
                goto error;
            /* the key is not on its value's line: remember where it is */
            PyObject *lines = SLOT(pmap, off_map_key_lines);
            if (lines == NULL) {
                lines = PyDict_New();
                if (lines == NULL)
                    goto error;
                SLOT(pmap, off_map_key_lines) = lines;
            }
            PyObject *line = PyLong_FromSsize_t(pline);
            if (line == NULL)
                goto error;
            int failed = PyDict_SetItem(lines, pkey, line);
            Py_DECREF(line);
            Py_CLEAR(pkey);
            if (failed || push(r, child, indent, kind_is_map) < 0)
                goto error;
        }
        /* close what this line's indentation ends */
        Frame *top = &r->stack[r->depth - 1];
        while (top->indent > indent || (top->indent == indent && !top->is_map && !dash)) {
            if (close_frame(r) < 0)
                goto error;
            if (r->depth == 0)
                goto bail;
            top = &r->stack[r->depth - 1];
        }
        if (top->indent != indent)
            goto bail;
        PyObject *container = top->container;
        if (dash) {
            if (top->is_map)
                goto bail;  /* a `- ` where a key belongs */
            if (key_s >= 0) {
                Py_ssize_t col = indent + dash;
                PyObject *item = new_map(r, col + 1);
                if (item == NULL)
                    goto error;
                if (PyList_Append(container, item) < 0) {
                    Py_DECREF(item);
                    goto error;
                }
                Py_DECREF(item);  /* the list holds it */
                if (PyList_Append(SLOT(container, off_list_item_marks), SLOT(item, off_map_mark)) < 0)
                    goto error;
                if (r->depth + 1 >= max_depth)
                    goto bail;
                if (push(r, item, col, 1) < 0)
                    goto error;
                container = item;
                indent = col;
            }
            else {
                if (rs == re)
                    goto bail;  /* empty item */
                Py_UCS4 first = C(rs);
                if (first == '#' || first == '[' || first == '{' || first == '-')
                    goto bail;  /* nested list or flow mapping */
                PyObject *value;
                status = scalar(kind, r, rs, re, &value);
                if (status)
                    goto done;
                if (append_item(r, container, value, rs - start + 1) < 0)
                    goto error;
                goto next;
            }
        }
        else if (!top->is_map)
            goto bail;  /* a key where a `- ` belongs */

        key = make_key(kind, r, key_s, key_e);
        if (key == NULL)
            goto error;
        int found = PyDict_Contains(container, key);
        if (found < 0)
            goto error;
        if (found)
            goto bail;  /* a duplicate key: the reference reader reports it */
        if (rs == re || C(rs) == '#') {
            /* `key:` or `key:  # comment`: the value is on the lines below (or null) */
            if (PyDict_SetItem(container, key, Py_None) < 0)  /* keeps the key's place */
                goto error;
            pmap = container;
            pkey = key;
            key = NULL;
            pindent = indent;
            pline = r->lineno;
            goto next;
        }
        Py_UCS4 first = C(rs), last = C(re - 1);
        PyObject *value;
        if (is_special(first))
            goto bail;
        if (first != '"' && first != '\'' && first != '[' && last != ' ' && last != ':'
            && !has_colon_or_comment(kind, r, rs, re)) {
            /* the common case, a one-line plain scalar */
            if (is_null_word(kind, r, rs, re))
                goto bail;
            value = substring(r, rs, re);
            if (value == NULL)
                goto error;
        }
        else {
            status = first == '[' ? flow_list(kind, r, rs, re, &value) : scalar(kind, r, rs, re, &value);
            if (status)
                goto done;
        }
        if (set_value(r, container, key, value, r->lineno, rs - start + 1) < 0)
            goto error;
        Py_CLEAR(key);
    next:
        if (end >= n)
            break;
        pos = end + 1;
    }
    if (pkey != NULL || root == NULL)
        goto bail;  /* an empty value (null) at the end; or no mapping at all */
    while (r->depth > 0)
        if (close_frame(r) < 0)
            goto error;
    *out = root;
    return 0;
bail:
    status = BAIL;
    goto done;
error:
    status = ERROR;
done:
    Py_XDECREF(key);
    Py_XDECREF(pkey);
    Py_XDECREF(root);
    return status;
}

static int
read_ucs1(Reader *r, Py_ssize_t max_depth, PyObject **out)
{
    return read_lines(PyUnicode_1BYTE_KIND, r, max_depth, out);
}

static int
read_ucs2(Reader *r, Py_ssize_t max_depth, PyObject **out)
{
    return read_lines(PyUnicode_2BYTE_KIND, r, max_depth, out);
}

static int
read_ucs4(Reader *r, Py_ssize_t max_depth, PyObject **out)
{
    return read_lines(PyUnicode_4BYTE_KIND, r, max_depth, out);
}

/* read_fast's checks before any work: tabs, carriage returns and every
 * character libyaml rejects or reads as a line break (_UNUSUAL) send the
 * text to the reference reader; so does a text that might hold more than
 * max_nodes values (3 per line plus one per comma, a cheap bound).
 *
 * Branch-free and in the width of the text's own characters, with 16-bit
 * counters per block, so that the compiler vectorizes it: this loop sees
 * every character once more than the reader does. */
#define PRESCAN(NAME, T, WIDE)                                                  \
    static int NAME(const void *data, Py_ssize_t n, Py_ssize_t *lines, Py_ssize_t *commas) \
    {                                                                           \
        const T *p = (const T *)data;                                           \
        Py_ssize_t nl = 0, co = 0;                                              \
        T bad = 0;                                                              \
        for (Py_ssize_t b = 0; b < n; b += 4096) {                              \
            Py_ssize_t e = n - b < 4096 ? n : b + 4096;                         \
            uint16_t bnl = 0, bco = 0;                                          \
            for (Py_ssize_t i = b; i < e; i++) {                                \
                T c = p[i];                                                     \
                bnl += c == '\n';                                               \
                bco += c == ',';                                                \
                bad |= (T)((c < 0x20) & (c != '\n'));                           \
                bad |= (T)((T)(c - 0x7f) <= 0x20);                              \
                if (WIDE) {                                                     \
                    bad |= (T)((T)(c - 0x2028) <= 1);                           \
                    bad |= (T)((T)(c - 0xd800) <= 0x7ff);                       \
                    bad |= (T)(c == 0xfeff);                                    \
                    bad |= (T)((T)(c - 0xfffe) <= 1);                           \
                }                                                               \
            }                                                                   \
            nl += bnl;                                                          \
            co += bco;                                                          \
        }                                                                       \
        if (bad)                                                                \
            return BAIL;                                                        \
        *lines = nl + 1;                                                        \
        *commas = co;                                                           \
        return 0;                                                               \
    }

PRESCAN(prescan_ucs1, Py_UCS1, 0)
PRESCAN(prescan_ucs2, Py_UCS2, 1)
PRESCAN(prescan_ucs4, Py_UCS4, 1)

static Py_ssize_t
as_bound(PyObject *obj)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow > 0 || v > PY_SSIZE_T_MAX)
        return PY_SSIZE_T_MAX;
    if (overflow < 0 || v < -PY_SSIZE_T_MAX)
        return -PY_SSIZE_T_MAX;
    return (Py_ssize_t)v;
}

static PyObject *
read_text(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyLong_Check(args[1]) || !PyLong_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "read(text: str, max_depth: int, max_nodes: int)");
        return NULL;
    }
    if (MapType == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "call setup() first");
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t max_depth = as_bound(args[1]), max_nodes = as_bound(args[2]);
    if ((max_depth == -1 || max_nodes == -1) && PyErr_Occurred())
        return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)  /* a no-op, and deprecated, from 3.12 */
        return NULL;
#endif
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), lines, commas;
    int status = kind == PyUnicode_1BYTE_KIND ? prescan_ucs1(data, n, &lines, &commas)
               : kind == PyUnicode_2BYTE_KIND ? prescan_ucs2(data, n, &lines, &commas)
               : prescan_ucs4(data, n, &lines, &commas);
    /* 4 * lines + commas + 1 > max_nodes (see read_fast_py), without overflow */
    if (status == 0 && (lines > (PY_SSIZE_T_MAX - commas - 1) / 4 || 4 * lines + commas + 1 > max_nodes))
        status = BAIL;
    if (status) {
        Py_INCREF(Unsupported);
        return Unsupported;
    }
    Reader r = {.text = text, .data = data, .n = n, .line_obj_no = -1};
    PyObject *root = NULL;
    status = kind == PyUnicode_1BYTE_KIND ? read_ucs1(&r, max_depth, &root)
           : kind == PyUnicode_2BYTE_KIND ? read_ucs2(&r, max_depth, &root)
           : read_ucs4(&r, max_depth, &root);
    Py_XDECREF(r.line_obj);
    PyMem_Free(r.stack);
    PyMem_Free(r.marks);
    if (status == ERROR)
        return NULL;
    if (status == BAIL) {
        Py_INCREF(Unsupported);
        return Unsupported;
    }
    return root;
}

/* ---- makers: records built without a Python call ------------------------ */

/* maker(cls, fields) returns a callable that makes a cls from one value per
 * field, in order, by storing each in its __slots__ member: what the frozen
 * dataclass's generated __init__ does through object.__setattr__, at a
 * tenth of the cost (a large load makes a million records). The class must
 * be a heap type with no __dict__ whose fields are all writable object
 * slots; loaders.fastmake checks it is a frozen slotted dataclass with no
 * __post_init__, so the __init__ skipped has nothing else to do. */

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Py_ssize_t n;
    vectorcallfunc vectorcall;
    Py_ssize_t offsets[1];
} Maker;

static void
maker_dealloc(Maker *self)
{
    Py_XDECREF(self->cls);
    PyObject_Free(self);
}

static PyObject *
maker_call(Maker *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != self->n || (kwnames != NULL && PyTuple_GET_SIZE(kwnames))) {
        PyErr_Format(PyExc_TypeError, "making a %s takes %zd positional values, not %zd",
                     self->cls->tp_name, self->n, nargs);
        return NULL;
    }
    PyObject *obj = self->cls->tp_alloc(self->cls, 0);
    if (obj == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        SLOT(obj, self->offsets[i]) = args[i];
    }
    return obj;
}

static PyObject *
maker_repr(Maker *self)
{
    return PyUnicode_FromFormat("<maker of %s>", self->cls->tp_name);
}

static PyTypeObject MakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "loaders._yamlfast.Maker",
    .tp_basicsize = sizeof(Maker) - sizeof(Py_ssize_t),
    .tp_itemsize = sizeof(Py_ssize_t),
    .tp_dealloc = (destructor)maker_dealloc,
    .tp_repr = (reprfunc)maker_repr,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Maker, vectorcall),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Makes records of one class from their field values (see maker()).",
};

static PyObject *
make_maker(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyType_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "maker(cls: type, fields: tuple[str, ...])");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *fields = args[1];
    Py_ssize_t n = PyTuple_GET_SIZE(fields);
    if (!(cls->tp_flags & Py_TPFLAGS_HEAPTYPE) || cls->tp_dictoffset != 0 || cls->tp_itemsize != 0
        || cls->tp_alloc != PyType_GenericAlloc) {
        PyErr_Format(PyExc_TypeError, "%s must be a class with __slots__ and no __dict__", cls->tp_name);
        return NULL;
    }
    Maker *self = PyObject_NewVar(Maker, &MakerType, n);
    if (self == NULL)
        return NULL;
    self->cls = NULL;
    self->n = n;
    self->vectorcall = (vectorcallfunc)maker_call;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(fields, i);
        const char *utf8 = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
        if (utf8 == NULL || slot_offset(cls, utf8, &self->offsets[i]) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "fields must be names");
            Py_DECREF(self);
            return NULL;
        }
        /* Every slot is set exactly once: a slot named twice would leak the
         * first value, one left out would stay unset. */
        for (Py_ssize_t j = 0; j < i; j++) {
            if (self->offsets[j] == self->offsets[i]) {
                PyErr_Format(PyExc_TypeError, "field %U is named twice", name);
                Py_DECREF(self);
                return NULL;
            }
        }
    }
    Py_ssize_t slots = (cls->tp_basicsize - PyBaseObject_Type.tp_basicsize) / (Py_ssize_t)sizeof(PyObject *);
    if (cls->tp_base != &PyBaseObject_Type || slots != n) {
        PyErr_Format(PyExc_TypeError, "%s must derive from object directly and have one slot per field", cls->tp_name);
        Py_DECREF(self);
        return NULL;
    }
    Py_INCREF(cls);
    self->cls = cls;
    return (PyObject *)self;
}

/* ---- the quick relation path ------------------------------------------ */

/* loaders.factbase's Python path for a relation record that has no problem
 * at all, compiled, in the same two steps:
 *
 * relation_fields_from (fields_of for each record) is _clean_relation: in
 * pass 1, while the file's tree is fresh in the cache, it checks a record
 * and returns what
 * pass 2 needs as one tuple (FIELDS below), with the Location and the
 * Citations already made, so that the tree can be let go with its file;
 *
 * relation(fields, ctx) and relations_from (relation_of for each) are the
 * resolution of _Resolver: in pass 2 they give the Relation, with the ends
 * and the sources resolved.
 *
 * Both return None wherever the record needs a closer look; the caller
 * then takes the Python path, which gives the same result or reports what
 * is wrong. Neither reports anything itself, so any doubt is a None. Each
 * check names the Python line it mirrors; tests/test_fastpath.py loads
 * every corpus both ways. The ctx tuples are built by
 * loaders.factbase._QuickRelations and checked once per load. */

enum { C1_KEYS, C1_TYPES, C1_DATES, C1_PARSE_DATE, C1_DATE_ERROR, C1_CLEAN_PROPERTY, C1_CLOSER, C1_LOCATION,
       C1_CITATION, C1_CITE_KEYS, C1_SIZE };
enum { C2_IDS, C2_NAMED, C2_ENTITIES, C2_SOURCES, C2_RELATION, C2_NO_PROPERTIES, C2_PROXY, C2_ENTITY, C2_FOLDED,
       C2_SIZE };
/* ctx1[C1_TYPES][type] = (name, symmetric, from_ok, to_ok, properties) */
enum { T_NAME, T_SYMMETRIC, T_FROM_OK, T_TO_OK, T_PROPERTIES, T_SIZE };
/* what relation_fields returns */
enum { F_INFO, F_ID, F_FROM, F_TO, F_DATE, F_START, F_END, F_DESCRIPTION, F_PROPERTIES, F_CITATIONS, F_LOC,
       F_FROM_MARK, F_TO_MARK, F_SOURCE_MARKS, F_SIZE };

static PyObject *s_type, *s_id, *s_from, *s_to, *s_description, *s_date, *s_start, *s_end, *s_cite, *s_source,
    *s_quote, *s_kind, *s_first, *s_last, *s_empty, *s_colon, *s_dots;
static Py_ssize_t off_citation_source, off_rel_id, off_entity_id, off_entity_kind;

static int
quick_strings(void)
{
    if (s_type != NULL)
        return 0;
#define INTERN(var, text) if ((var = PyUnicode_InternFromString(text)) == NULL) return -1
    INTERN(s_type, "type"); INTERN(s_id, "id"); INTERN(s_from, "from"); INTERN(s_to, "to");
    INTERN(s_description, "description"); INTERN(s_date, "date"); INTERN(s_start, "start"); INTERN(s_end, "end");
    INTERN(s_cite, "cite"); INTERN(s_source, "source"); INTERN(s_quote, "quote"); INTERN(s_kind, "kind");
    INTERN(s_first, "first"); INTERN(s_last, "last"); INTERN(s_empty, ""); INTERN(s_colon, ":");
    INTERN(s_dots, "..");
#undef INTERN
    return 0;
}

/* `value.strip()` is not empty: some character is not whitespace. */
static int
not_blank(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            return 1;
    return 0;
}

/* SLUG.match(value): ^[a-z0-9][a-z0-9._-]{0,199}$ (re's $ also matches before a final newline) */
static int
is_slug(PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (n > 0 && PyUnicode_READ(kind, data, n - 1) == '\n')
        n--;
    if (n < 1 || n > 200)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'))))
            return 0;
    }
    return 1;
}

/* A str value of m (borrowed), NULL when absent or None; *bad is set when
 * the value is there but not exactly a str. */
static ALWAYS_INLINE PyObject *
text_value(PyObject *m, PyObject *key, int *bad)
{
    PyObject *v = PyDict_GetItemWithError(m, key);
    if (v == NULL || v == Py_None)
        return NULL;
    if (!PyUnicode_CheckExact(v))
        *bad = 1;
    return v;
}

/* The PartialDate of a date text (new reference); NULL with no error set
 * when the text is not a date. */
static PyObject *
quick_date(PyObject *const *ctx, PyObject *text)
{
    PyObject *date = PyDict_GetItemWithError(ctx[C1_DATES], text);
    if (date != NULL)
        return Py_NewRef(date);
    if (PyErr_Occurred())
        return NULL;
    date = PyObject_CallOneArg(ctx[C1_PARSE_DATE], text);
    if (date == NULL) {
        if (PyErr_ExceptionMatches(ctx[C1_DATE_ERROR]))
            PyErr_Clear();
        return NULL;
    }
    if (PyDict_SetItem(ctx[C1_DATES], text, date) < 0) {
        Py_DECREF(date);
        return NULL;
    }
    return date;
}

/* Mark(line, col), a new reference. */
static PyObject *
make_mark(Py_ssize_t line, Py_ssize_t col)
{
    PyObject *items = Py_BuildValue("(nn)", line, col);
    if (items == NULL)
        return NULL;
    PyObject *args = PyTuple_Pack(1, items);
    Py_DECREF(items);
    if (args == NULL)
        return NULL;
    PyObject *mark = PyTuple_Type.tp_new(MarkType, args, NULL);
    Py_DECREF(args);
    return mark;
}

/* A value mark of m (a new reference), or None; NULL on an error. Read
 * from value_marks when it is set (the Python readers set it), else from
 * the packed marks (see MarkedMap.value_marks). */
static PyObject *
value_mark(PyObject *m, PyObject *key)
{
    PyObject *marks = SLOT(m, off_map_value_marks);
    if (marks != NULL && PyDict_Check(marks)) {
        PyObject *mark = PyDict_GetItemWithError(marks, key);
        if (mark == NULL && PyErr_Occurred())
            return NULL;
        return Py_NewRef(mark != NULL ? mark : Py_None);
    }
    PyObject *packed = SLOT(m, off_map_packed), *k, *v;
    if (packed == NULL || !PyBytes_Check(packed))
        return Py_NewRef(Py_None);
    Py_ssize_t pos = 0, i = 0;
    while (PyDict_Next(m, &pos, &k, &v)) {
        int same = k == key ? 1 : PyUnicode_Check(k) ? PyUnicode_Compare(k, key) == 0 : 0;
        if (PyErr_Occurred())
            return NULL;
        if (same) {
            int32_t pair[2];
            if ((i + 1) * (Py_ssize_t)sizeof(pair) > PyBytes_GET_SIZE(packed))
                break;
            memcpy(pair, PyBytes_AS_STRING(packed) + i * (Py_ssize_t)sizeof(pair), sizeof(pair));
            return make_mark(pair[0], pair[1]);
        }
        i++;
    }
    return Py_NewRef(Py_None);
}

static ALWAYS_INLINE int
is_mark(PyObject *mark)
{
    return mark != NULL && PyTuple_Check(mark) && PyTuple_GET_SIZE(mark) == 2;
}

#define CLOSER_LOOK do { Py_INCREF(Py_None); result = Py_None; goto done; } while (0)
#define FAIL do { result = NULL; goto done; } while (0)
#define CHECK(cond) do { if (!(cond)) { if (PyErr_Occurred()) FAIL; CLOSER_LOOK; } } while (0)

static PyObject *
fields_of(PyObject *m, PyObject *path, PyObject *const *ctx)
{
    PyObject *result = NULL, *dates[3] = {NULL, NULL, NULL}, *properties = NULL, *citations = NULL, *loc = NULL,
             *source_marks = NULL, *from_mark = NULL, *to_mark = NULL;
    int bad = 0;
    CHECK(Py_TYPE(m) == MapType);
    PyObject *mark = SLOT(m, off_map_mark);
    CHECK(is_mark(mark));

    /* rtype = get("type"); spec = ... if rtype.__class__ is str */
    PyObject *rtype = text_value(m, s_type, &bad);
    CHECK(rtype != NULL && !bad);
    PyObject *info = PyDict_GetItemWithError(ctx[C1_TYPES], rtype);
    CHECK(info != NULL);

    /* every key the relation's own, or a property of its type with a clean value */
    Py_ssize_t pos = 0, extra = 0;
    PyObject *key, *value;
    while (PyDict_Next(m, &pos, &key, &value)) {
        int known = PySet_Contains(ctx[C1_KEYS], key);
        if (known < 0) FAIL;
        extra += !known;
    }
    if (extra) {
        PyObject *spec_props = PyTuple_GET_ITEM(info, T_PROPERTIES), *prop;
        CHECK(spec_props != Py_None);
        properties = PyDict_New();  /* in the vocabulary's order, as _read_relation gives them */
        if (properties == NULL) FAIL;
        Py_ssize_t found = 0;
        pos = 0;
        while (PyDict_Next(spec_props, &pos, &key, &prop)) {
            value = PyDict_GetItemWithError(m, key);
            if (value == NULL) {
                if (PyErr_Occurred()) FAIL;
                continue;
            }
            found++;
            PyObject *clean = PyObject_CallFunctionObjArgs(ctx[C1_CLEAN_PROPERTY], prop, value, NULL);
            if (clean == NULL) FAIL;
            int closer = clean == ctx[C1_CLOSER], err = closer ? 0 : PyDict_SetItem(properties, key, clean);
            Py_DECREF(clean);
            if (err < 0) FAIL;
            if (closer) CLOSER_LOOK;
        }
        CHECK(found == extra);  /* else an unknown key, or a reference property (resolved in Python) */
    }

    /* id a slug when given; from and to non-blank text; description non-blank when given */
    PyObject *given = text_value(m, s_id, &bad), *src = text_value(m, s_from, &bad), *dst = text_value(m, s_to, &bad);
    PyObject *description = text_value(m, s_description, &bad);
    if (PyErr_Occurred()) FAIL;
    CHECK(!bad && src != NULL && dst != NULL && (given == NULL || is_slug(given)) && not_blank(src) && not_blank(dst)
          && (description == NULL || not_blank(description)));

    /* dates well formed; date or start/end; end not before start */
    PyObject *keys[3] = {s_date, s_start, s_end};
    for (int i = 0; i < 3; i++) {
        PyObject *text = text_value(m, keys[i], &bad);
        if (PyErr_Occurred()) FAIL;
        CHECK(!bad);
        if (text == NULL)
            continue;
        dates[i] = quick_date(ctx, text);
        CHECK(dates[i] != NULL);
    }
    CHECK(dates[0] == NULL || (dates[1] == NULL && dates[2] == NULL));
    if (dates[1] != NULL && dates[2] != NULL) {
        PyObject *last = PyObject_GetAttr(dates[2], s_last), *first = last ? PyObject_GetAttr(dates[1], s_first) : NULL;
        int before = first ? PyObject_RichCompareBool(last, first, Py_LT) : -1;
        Py_XDECREF(last);
        Py_XDECREF(first);
        if (before < 0) FAIL;
        CHECK(!before);
    }

    /* cite: a non-empty list of {source, quote} maps */
    PyObject *raw = PyDict_GetItemWithError(m, s_cite);
    CHECK(raw != NULL && Py_TYPE(raw) == ListType && PyList_GET_SIZE(raw) > 0);
    Py_ssize_t n = PyList_GET_SIZE(raw);
    citations = PyTuple_New(n);
    source_marks = PyTuple_New(n);
    if (citations == NULL || source_marks == NULL) FAIL;
    Maker *make_loc = (Maker *)ctx[C1_LOCATION], *make_cite = (Maker *)ctx[C1_CITATION];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(raw, i);
        CHECK(Py_TYPE(item) == MapType);
        pos = 0;
        while (PyDict_Next(item, &pos, &key, &value)) {
            int known = PySet_Contains(ctx[C1_CITE_KEYS], key);
            if (known < 0) FAIL;
            CHECK(known);
        }
        PyObject *source = text_value(item, s_source, &bad), *quote = text_value(item, s_quote, &bad);
        if (PyErr_Occurred()) FAIL;
        CHECK(!bad && source != NULL && not_blank(source) && (quote == NULL || not_blank(quote)));
        if (quote == NULL) {
            int present = PyDict_Contains(item, s_quote);  /* `quote:` left empty */
            if (present < 0) FAIL;
            CHECK(!present);
            quote = Py_None;
        }
        PyObject *cmark = SLOT(item, off_map_mark);
        CHECK(is_mark(cmark));
        PyObject *largs[3] = {path, PyTuple_GET_ITEM(cmark, 0), PyTuple_GET_ITEM(cmark, 1)};
        PyObject *cloc = maker_call(make_loc, largs, 3, NULL);
        if (cloc == NULL) FAIL;
        /* the source as written: pass 2 puts the source's own id string in its place */
        PyObject *cargs[3] = {source, cloc, quote};
        PyObject *citation = maker_call(make_cite, cargs, 3, NULL);
        Py_DECREF(cloc);
        if (citation == NULL) FAIL;
        PyTuple_SET_ITEM(citations, i, citation);
        PyObject *source_mark = value_mark(item, s_source);
        if (source_mark == NULL) FAIL;
        PyTuple_SET_ITEM(source_marks, i, source_mark);
    }
    PyObject *largs[3] = {path, PyTuple_GET_ITEM(mark, 0), PyTuple_GET_ITEM(mark, 1)};
    loc = maker_call(make_loc, largs, 3, NULL);
    if (loc == NULL) FAIL;
    from_mark = value_mark(m, s_from);
    to_mark = from_mark ? value_mark(m, s_to) : NULL;
    if (to_mark == NULL) FAIL;
    result = PyTuple_New(F_SIZE);
    if (result == NULL) FAIL;
    /* with the places pass 2 reports at, should an end or a source not resolve */
    PyObject *items[F_SIZE] = {
        [F_INFO] = info, [F_ID] = given ? given : Py_None, [F_FROM] = src, [F_TO] = dst,
        [F_DATE] = dates[0] ? dates[0] : Py_None, [F_START] = dates[1] ? dates[1] : Py_None,
        [F_END] = dates[2] ? dates[2] : Py_None, [F_DESCRIPTION] = description ? description : Py_None,
        [F_PROPERTIES] = properties != NULL && PyDict_GET_SIZE(properties) ? properties : Py_None,
        [F_CITATIONS] = citations, [F_LOC] = loc, [F_FROM_MARK] = from_mark,
        [F_TO_MARK] = to_mark, [F_SOURCE_MARKS] = source_marks,
    };
    for (int i = 0; i < F_SIZE; i++)
        PyTuple_SET_ITEM(result, i, Py_NewRef(items[i]));

done:
    for (int i = 0; i < 3; i++)
        Py_XDECREF(dates[i]);
    Py_XDECREF(properties);
    Py_XDECREF(citations);
    Py_XDECREF(source_marks);
    Py_XDECREF(loc);
    Py_XDECREF(from_mark);
    Py_XDECREF(to_mark);
    return result;
}

/* The index a bulk call starts at, or -1 with an error set. */
static Py_ssize_t
start_index(PyObject *start)
{
    Py_ssize_t i = PyLong_AsSsize_t(start);
    if (i < 0 && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "start must not be negative");
    return i;
}

/* relation_fields_from(items, start, path, ctx, out): the compact tuples
 * (see fields_of) of items[start], items[start + 1], ... appended to out, up to the first item
 * that needs the Python path; returns its index (len(items) when none
 * does). One call per file instead of one per record. */
static PyObject *
relation_fields_from(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyList_Check(args[0]) || !PyLong_Check(args[1]) || !PyUnicode_Check(args[2])
        || !PyTuple_CheckExact(args[3]) || PyTuple_GET_SIZE(args[3]) != C1_SIZE || !PyList_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "relation_fields_from(items: list, start: int, path: str, ctx: tuple, "
                        "out: list)");
        return NULL;
    }
    if (MapType == NULL || quick_strings() < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "call setup() first");
        return NULL;
    }
    Py_ssize_t i = start_index(args[1]);
    if (i < 0)
        return NULL;
    PyObject *items = args[0], *path = args[2], *out = args[4];
    PyObject *const *ctx = &PyTuple_GET_ITEM(args[3], 0);
    for (; i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        Py_INCREF(item);
        PyObject *fields = fields_of(item, path, ctx);
        Py_DECREF(item);
        if (fields == NULL)
            return NULL;
        if (fields == Py_None) {
            Py_DECREF(fields);
            break;
        }
        int err = PyList_Append(out, fields);
        Py_DECREF(fields);
        if (err < 0)
            return NULL;
    }
    return PyLong_FromSsize_t(i);
}

/* The Entity an end names (borrowed), or NULL: by its id, else by a name
 * resolved before. One lookup in the entities for an id, which gives the
 * entity's own id string and its kind (an id lookup, then an entity
 * lookup, cost twice the cache misses at 10^5 relations). */
/* loaders.names.fold of an ASCII text: lower case, whitespace runs one
 * space, none at the ends (str.split()'s whitespace, which is \s's); a new
 * reference, or Py_None for a text that is not ASCII (folded in Python). */
static PyObject *
fold_ascii(PyObject *text)
{
    if (!PyUnicode_IS_ASCII(text))
        return Py_NewRef(Py_None);
    const unsigned char *data = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), k = 0;
    char small[256], *out = n <= (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)n);
    if (out == NULL)
        return PyErr_NoMemory();
    int space = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = data[i];
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
            space = k > 0;
            continue;
        }
        if (space) {
            out[k++] = ' ';
            space = 0;
        }
        out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    PyObject *folded = PyUnicode_FromStringAndSize(out, k);
    if (out != small)
        PyMem_Free(out);
    return folded;
}

/* The id an ASCII name or alias names (borrowed), learned into ctx's
 * named, when it names exactly one entity (NameIndex.lookup's one hit);
 * NULL otherwise (with an error set only on an error). */
static PyObject *
learn_name(PyObject *const *ctx, PyObject *ref)
{
    PyObject *folded = fold_ascii(ref);
    if (folded == NULL || folded == Py_None) {
        Py_XDECREF(folded);
        return NULL;
    }
    PyObject *holders = PyDict_GetItemWithError(ctx[C2_FOLDED], folded);
    Py_DECREF(folded);
    if (holders == NULL || !PyAnySet_Check(holders) || PySet_GET_SIZE(holders) != 1)
        return NULL;
    PyObject *it = PyObject_GetIter(holders);
    PyObject *id = it ? PyIter_Next(it) : NULL;
    Py_XDECREF(it);
    if (id == NULL)
        return NULL;
    int err = PyDict_SetItem(ctx[C2_NAMED], ref, id);
    Py_DECREF(id);  /* still held by holders and named */
    return err < 0 ? NULL : id;
}

static ALWAYS_INLINE PyObject *
quick_end(PyObject *const *ctx, PyObject *ref)
{
    PyObject *entity = PyDict_GetItemWithError(ctx[C2_ENTITIES], ref);
    if (entity == NULL && !PyErr_Occurred()) {
        PyObject *id = PyDict_GetItemWithError(ctx[C2_IDS], ref);
        if (id == NULL && !PyErr_Occurred())
            id = PyDict_GetItemWithError(ctx[C2_NAMED], ref);
        if (id == NULL && !PyErr_Occurred() && PyUnicode_CheckExact(ref))
            id = learn_name(ctx, ref);
        if (id != NULL)
            entity = PyDict_GetItemWithError(ctx[C2_ENTITIES], id);
    }
    if (entity != NULL && Py_TYPE(entity) != (PyTypeObject *)ctx[C2_ENTITY]) {
        PyErr_SetString(PyExc_TypeError, "relation: the entities must be Entity records");
        return NULL;
    }
    return entity;
}

static PyObject *
relation_of(PyObject *const *f, PyObject *const *ctx)
{
    PyObject *result = NULL, *rid = NULL, *props = NULL;
    PyObject *info = f[F_INFO], *citations = f[F_CITATIONS];

    /* ends: known ids (or names resolved before), of kinds the type admits, not one and the same */
    PyObject *from = quick_end(ctx, f[F_FROM]), *to = from ? quick_end(ctx, f[F_TO]) : NULL;
    CHECK(from != NULL && to != NULL);
    PyObject *a = SLOT(from, off_entity_id), *b = SLOT(to, off_entity_id);
    PyObject *from_kind = SLOT(from, off_entity_kind), *to_kind = SLOT(to, off_entity_kind);
    CHECK(a != NULL && b != NULL && from_kind != NULL && to_kind != NULL);
    int fit = PySet_Contains(PyTuple_GET_ITEM(info, T_FROM_OK), from_kind);
    if (fit > 0)
        fit = PySet_Contains(PyTuple_GET_ITEM(info, T_TO_OK), to_kind);
    if (fit < 0) FAIL;
    CHECK(fit);
    int same = PyUnicode_Compare(a, b);
    if (same == -1 && PyErr_Occurred()) FAIL;
    CHECK(same != 0);

    /* sources: each known; the citation takes the source's own id string
     * (all are looked up before any is changed, so that a None leaves the
     * citations as relation_fields made them) */
    Py_ssize_t n = PyTuple_GET_SIZE(citations);
    PyObject *found[16];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *known = PyDict_GetItemWithError(ctx[C2_SOURCES], SLOT(PyTuple_GET_ITEM(citations, i), off_citation_source));
        CHECK(known != NULL);
        if (i < 16)
            found[i] = known;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        /* The citations were made by relation_fields and nothing else holds them yet. */
        PyObject *citation = PyTuple_GET_ITEM(citations, i);
        PyObject *known = i < 16 ? found[i] : PyDict_GetItemWithError(ctx[C2_SOURCES], SLOT(citation, off_citation_source));
        if (known == NULL) FAIL;
        Py_SETREF(SLOT(citation, off_citation_source), Py_NewRef(known));
    }

    /* symmetric types keep their ends in order */
    if (PyTuple_GET_ITEM(info, T_SYMMETRIC) == Py_True) {
        int order = PyUnicode_Compare(b, a);
        if (order == -1 && PyErr_Occurred()) FAIL;
        if (order < 0) {
            PyObject *t = a; a = b; b = t;
        }
    }
    PyObject *name = PyTuple_GET_ITEM(info, T_NAME), *date = f[F_DATE], *start = f[F_START], *end = f[F_END];
    PyObject *given = f[F_ID];
    if (given != Py_None) {
        rid = Py_NewRef(given);
    } else {
        /* f"{type}:{a}:{b}:{date}", f"{type}:{a}:{b}:{start or ''}..{end or ''}" or f"{type}:{a}:{b}" */
        PyObject *parts[4] = {name, a, b, NULL}, *span = NULL;
        if (date != Py_None) {
            parts[3] = PyObject_Str(date);
        } else if (start != Py_None || end != Py_None) {
            PyObject *ends[2] = {start != Py_None ? PyObject_Str(start) : Py_NewRef(s_empty),
                                 end != Py_None ? PyObject_Str(end) : Py_NewRef(s_empty)};
            if (ends[0] != NULL && ends[1] != NULL) {
                span = PyTuple_Pack(2, ends[0], ends[1]);
                parts[3] = span ? PyUnicode_Join(s_dots, span) : NULL;
            }
            Py_XDECREF(ends[0]);
            Py_XDECREF(ends[1]);
            Py_XDECREF(span);
        }
        int count = date != Py_None || start != Py_None || end != Py_None ? 4 : 3;
        if (count == 4 && parts[3] == NULL) FAIL;
        PyObject *seq = count == 4 ? PyTuple_Pack(4, parts[0], parts[1], parts[2], parts[3])
                                   : PyTuple_Pack(3, parts[0], parts[1], parts[2]);
        if (count == 4)
            Py_DECREF(parts[3]);
        rid = seq ? PyUnicode_Join(s_colon, seq) : NULL;
        Py_XDECREF(seq);
        if (rid == NULL) FAIL;
    }
    if (f[F_PROPERTIES] != Py_None) {
        props = PyObject_CallOneArg(ctx[C2_PROXY], f[F_PROPERTIES]);
        if (props == NULL) FAIL;
    } else {
        props = Py_NewRef(ctx[C2_NO_PROPERTIES]);
    }
    PyObject *rargs[12] = {rid, name, a, b, f[F_LOC], citations, date, start, end, f[F_DESCRIPTION], props,
                           given != Py_None ? Py_True : Py_False};
    result = maker_call((Maker *)ctx[C2_RELATION], rargs, 12, NULL);

done:
    Py_XDECREF(rid);
    Py_XDECREF(props);
    return result;
}

#undef CLOSER_LOOK
#undef FAIL
#undef CHECK

static PyObject *
quick_relation(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_CheckExact(args[0]) || PyTuple_GET_SIZE(args[0]) != F_SIZE
        || !PyTuple_CheckExact(args[1]) || PyTuple_GET_SIZE(args[1]) != C2_SIZE) {
        PyErr_SetString(PyExc_TypeError, "relation(fields: tuple, ctx: tuple)");
        return NULL;
    }
    if (quick_strings() < 0)
        return NULL;
    return relation_of(&PyTuple_GET_ITEM(args[0], 0), &PyTuple_GET_ITEM(args[1], 0));
}

/* relations_from(entries, start, ctx, out, contributions): pass 2 of
 * entries[start], ... : each entry's Relation goes into the dict out by id
 * (and onto the list contributions, unless it is None), up to the first
 * entry that needs Python - one not made by relation_fields, one whose
 * relation() is None, or one whose id is in out already (a merge); returns
 * its index (len(entries) when none does). */
static PyObject *
relations_from(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyList_Check(args[0]) || !PyLong_Check(args[1]) || !PyTuple_CheckExact(args[2])
        || PyTuple_GET_SIZE(args[2]) != C2_SIZE || !PyDict_CheckExact(args[3])
        || (args[4] != Py_None && !PyList_Check(args[4]))) {
        PyErr_SetString(PyExc_TypeError, "relations_from(entries: list, start: int, ctx: tuple, out: dict, "
                        "contributions: list | None)");
        return NULL;
    }
    if (quick_strings() < 0)
        return NULL;
    Py_ssize_t i = start_index(args[1]);
    if (i < 0)
        return NULL;
    PyObject *entries = args[0], *out = args[3], *contributions = args[4];
    PyObject *const *ctx = &PyTuple_GET_ITEM(args[2], 0);
    for (; i < PyList_GET_SIZE(entries); i++) {
        PyObject *entry = PyList_GET_ITEM(entries, i);
        if (!PyTuple_CheckExact(entry) || PyTuple_GET_SIZE(entry) != F_SIZE)
            break;
        Py_INCREF(entry);
        PyObject *relation = relation_of(&PyTuple_GET_ITEM(entry, 0), ctx);
        Py_DECREF(entry);
        if (relation == NULL)
            return NULL;
        if (relation == Py_None) {
            Py_DECREF(relation);
            break;
        }
        PyObject *rid = SLOT(relation, off_rel_id);
        int seen = PyDict_Contains(out, rid);
        int err = seen < 0 || (!seen && ((contributions != Py_None && PyList_Append(contributions, relation) < 0)
                                         || PyDict_SetItem(out, rid, relation) < 0));
        Py_DECREF(relation);
        if (err)
            return NULL;
        if (seen)
            break;
    }
    return PyLong_FromSsize_t(i);
}

static int
is_maker(PyObject *obj, Py_ssize_t n)
{
    return Py_IS_TYPE(obj, &MakerType) && ((Maker *)obj)->n == n;
}

static PyObject *
check_quick_context(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    /* Once per load, so that the two steps can trust what they read. */
    if (nargs != 2 || !PyTuple_CheckExact(args[0]) || PyTuple_GET_SIZE(args[0]) != C1_SIZE
        || !PyTuple_CheckExact(args[1]) || PyTuple_GET_SIZE(args[1]) != C2_SIZE) {
        PyErr_SetString(PyExc_TypeError, "check_context(ctx1, ctx2): tuples of the quick path's values");
        return NULL;
    }
    PyObject *const *c1 = &PyTuple_GET_ITEM(args[0], 0), *const *c2 = &PyTuple_GET_ITEM(args[1], 0);
    int ok = PyFrozenSet_CheckExact(c1[C1_KEYS]) && PyFrozenSet_CheckExact(c1[C1_CITE_KEYS])
        && PyDict_CheckExact(c1[C1_TYPES]) && PyDict_CheckExact(c1[C1_DATES])
        && PyCallable_Check(c1[C1_PARSE_DATE]) && PyCallable_Check(c1[C1_CLEAN_PROPERTY])
        && PyExceptionClass_Check(c1[C1_DATE_ERROR]) && is_maker(c1[C1_LOCATION], 3) && is_maker(c1[C1_CITATION], 3)
        && PyDict_CheckExact(c2[C2_IDS]) && PyDict_CheckExact(c2[C2_NAMED]) && PyDict_CheckExact(c2[C2_SOURCES])
        && PyDict_CheckExact(c2[C2_ENTITIES]) && PyDict_CheckExact(c2[C2_FOLDED])
        && PyCallable_Check(c2[C2_PROXY]) && is_maker(c2[C2_RELATION], 12);
    Py_ssize_t pos = 0;
    PyObject *key, *info;
    while (ok && PyDict_Next(c1[C1_TYPES], &pos, &key, &info)) {
        ok = PyTuple_CheckExact(info) && PyTuple_GET_SIZE(info) == T_SIZE
            && PyUnicode_CheckExact(PyTuple_GET_ITEM(info, T_NAME)) && PyBool_Check(PyTuple_GET_ITEM(info, T_SYMMETRIC))
            && PyFrozenSet_CheckExact(PyTuple_GET_ITEM(info, T_FROM_OK))
            && PyFrozenSet_CheckExact(PyTuple_GET_ITEM(info, T_TO_OK))
            && (PyTuple_GET_ITEM(info, T_PROPERTIES) == Py_None || PyDict_CheckExact(PyTuple_GET_ITEM(info, T_PROPERTIES)));
    }
    if (!ok) {
        PyErr_SetString(PyExc_TypeError, "check_context(ctx1, ctx2): a value is not of the expected type");
        return NULL;
    }
    if (!PyType_Check(c2[C2_ENTITY])) {
        PyErr_SetString(PyExc_TypeError, "check_context: the Entity class is not a class");
        return NULL;
    }
    if (slot_offset(((Maker *)c2[C2_RELATION])->cls, "id", &off_rel_id) < 0
        || slot_offset((PyTypeObject *)c2[C2_ENTITY], "id", &off_entity_id) < 0
        || slot_offset((PyTypeObject *)c2[C2_ENTITY], "kind", &off_entity_kind) < 0)
        return NULL;
    /* relation() sets the source of a Citation that relation_fields made, through its slot */
    if (slot_offset(((Maker *)c1[C1_CITATION])->cls, "source", &off_citation_source) < 0
        || ((Maker *)c1[C1_CITATION])->offsets[0] != off_citation_source)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- edge attributes of the core graph --------------------------------- */

/* edge_attrs(relation, known) is graph.core._EdgeAttrs' dict for one
 * relation, less its type properties (added by the caller when there are
 * any): known is (label, inverse, polarity, symmetric) of its type. The
 * core makes one per relation; graph/core.py keeps the Python version as
 * the specification and tests/test_fastpath.py compares the two. */

static PyObject *e_keys[12], *e_text, *e_source, *e_quote, *e_colon;
static Py_ssize_t off_rel[11], off_cite[3], off_loc[2];
enum { R_ID, R_TYPE, R_LOC, R_CITATIONS, R_DATE, R_START, R_END, R_DESCRIPTION, R_SOURCE, R_TARGET, R_PROPERTIES };

static PyObject *
edge_setup(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyType_Check(args[0]) || !PyType_Check(args[1]) || !PyType_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "edge_setup(Relation, Citation, Location)");
        return NULL;
    }
    static const char *rel[11] = {"id", "type", "loc", "citations", "date", "start", "end", "description", "source",
                                  "target", "properties"};
    static const char *cite[3] = {"source", "quote", "loc"};
    static const char *loc[2] = {"path", "line"};
    for (int i = 0; i < 11; i++)
        if (slot_offset((PyTypeObject *)args[0], rel[i], &off_rel[i]) < 0)
            return NULL;
    for (int i = 0; i < 3; i++)
        if (slot_offset((PyTypeObject *)args[1], cite[i], &off_cite[i]) < 0)
            return NULL;
    for (int i = 0; i < 2; i++)
        if (slot_offset((PyTypeObject *)args[2], loc[i], &off_loc[i]) < 0)
            return NULL;
    static const char *keys[12] = {"id", "type", "label", "inverse", "polarity", "symmetric", "date", "start", "end",
                                   "description", "citations", "origin"};
    for (int i = 0; i < 12; i++)
        if (e_keys[i] == NULL && (e_keys[i] = PyUnicode_InternFromString(keys[i])) == NULL)
            return NULL;
    if ((e_text == NULL && (e_text = PyUnicode_InternFromString("text")) == NULL)
        || (e_source == NULL && (e_source = PyUnicode_InternFromString("source")) == NULL)
        || (e_quote == NULL && (e_quote = PyUnicode_InternFromString("quote")) == NULL)
        || (e_colon == NULL && (e_colon = PyUnicode_InternFromString(":")) == NULL))
        return NULL;
    Py_INCREF(args[0]); Py_XSETREF(EdgeRelation, args[0]);
    Py_RETURN_NONE;
}

/* A slot's value (borrowed); NULL with an AttributeError when unset. */
static ALWAYS_INLINE PyObject *
slot_get(PyObject *obj, Py_ssize_t offset)
{
    PyObject *value = SLOT(obj, offset);
    if (value == NULL)
        PyErr_SetString(PyExc_AttributeError, "a record with an unset field");
    return value;
}

static PyObject *
edge_attrs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || EdgeRelation == NULL || Py_TYPE(args[0]) != (PyTypeObject *)EdgeRelation
        || !PyTuple_CheckExact(args[1]) || PyTuple_GET_SIZE(args[1]) != 4) {
        PyErr_SetString(PyExc_TypeError, "edge_attrs(relation: Relation, known: tuple) after edge_setup()");
        return NULL;
    }
    PyObject *r = args[0], *known = args[1];
    PyObject *values[12] = {NULL};
    PyObject *attrs = NULL, *citations = NULL, *origin = NULL, *texts[3] = {NULL, NULL, NULL};
    PyObject *loc = slot_get(r, off_rel[R_LOC]), *cites = loc ? slot_get(r, off_rel[R_CITATIONS]) : NULL;
    if (cites == NULL || !PyTuple_Check(cites))
        goto error;
    for (int i = 0; i < 3; i++) {  /* None if date is None else date.text */
        PyObject *date = slot_get(r, off_rel[R_DATE + i]);
        if (date == NULL)
            goto error;
        texts[i] = date == Py_None ? Py_NewRef(Py_None) : PyObject_GetAttr(date, e_text);
        if (texts[i] == NULL)
            goto error;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(cites);
    citations = PyTuple_New(n);
    if (citations == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyTuple_GET_ITEM(cites, i);
        PyObject *source = slot_get(c, off_cite[0]), *quote = source ? slot_get(c, off_cite[1]) : NULL;
        PyObject *d = quote ? PyDict_New() : NULL;
        if (d == NULL)
            goto error;
        PyTuple_SET_ITEM(citations, i, d);
        if (PyDict_SetItem(d, e_source, source) < 0 || PyDict_SetItem(d, e_quote, quote) < 0)
            goto error;
    }
    /* f"{loc.path}:{loc.line}" */
    PyObject *path = slot_get(loc, off_loc[0]), *line = path ? slot_get(loc, off_loc[1]) : NULL;
    if (line == NULL)
        goto error;
    PyObject *line_text = PyObject_Str(line);
    PyObject *pair = line_text ? PyTuple_Pack(2, path, line_text) : NULL;
    Py_XDECREF(line_text);
    origin = pair ? PyUnicode_Join(e_colon, pair) : NULL;
    Py_XDECREF(pair);
    if (origin == NULL)
        goto error;
    values[0] = slot_get(r, off_rel[R_ID]);
    values[1] = slot_get(r, off_rel[R_TYPE]);
    for (int i = 0; i < 4; i++)
        values[2 + i] = PyTuple_GET_ITEM(known, i);
    values[6] = texts[0]; values[7] = texts[1]; values[8] = texts[2];
    values[9] = slot_get(r, off_rel[R_DESCRIPTION]);
    values[10] = citations;
    values[11] = origin;
    attrs = _PyDict_NewPresized(12);
    if (attrs == NULL)
        goto error;
    for (int i = 0; i < 12; i++)
        if (values[i] == NULL || PyDict_SetItem(attrs, e_keys[i], values[i]) < 0)
            goto error;
    Py_DECREF(citations);
    Py_DECREF(origin);
    for (int i = 0; i < 3; i++)
        Py_DECREF(texts[i]);
    return attrs;
error:
    Py_XDECREF(attrs);
    Py_XDECREF(citations);
    Py_XDECREF(origin);
    for (int i = 0; i < 3; i++)
        Py_XDECREF(texts[i]);
    return NULL;
}

/* edge_fill(succ, pred, relations, known, add_properties) fills a
 * MultiDiGraph's adjacency as graph.core.build's Python loop does, in one
 * C pass: for each relation in order, succ[source][target][id] = its
 * edge_attrs (known[type] gives its type's part), the key dict shared by
 * pred[target][source]; add_properties(attrs, properties) is called for a
 * relation with type properties. The nodes must all be in succ and pred. */
static PyObject *
edge_fill(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyDict_CheckExact(args[0]) || !PyDict_CheckExact(args[1]) || !PyDict_CheckExact(args[3])
        || !PyCallable_Check(args[4]) || EdgeRelation == NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "edge_fill(succ: dict, pred: dict, relations: iterable, known: dict, add_properties) after edge_setup()");
        return NULL;
    }
    PyObject *succ = args[0], *pred = args[1], *known_by_type = args[3], *add_properties = args[4];
    PyObject *it = PyObject_GetIter(args[2]), *r;
    if (it == NULL)
        return NULL;
    while ((r = PyIter_Next(it)) != NULL) {
        int ok = 0;
        if (Py_TYPE(r) != (PyTypeObject *)EdgeRelation) {
            PyErr_SetString(PyExc_TypeError, "edge_fill: not a Relation");
            goto next;
        }
        PyObject *u = slot_get(r, off_rel[R_SOURCE]), *v = u ? slot_get(r, off_rel[R_TARGET]) : NULL,
                 *rid = v ? slot_get(r, off_rel[R_ID]) : NULL;
        if (rid == NULL)
            goto next;
        PyObject *out = PyDict_GetItemWithError(succ, u), *into = out ? PyDict_GetItemWithError(pred, v) : NULL;
        if (into == NULL || !PyDict_Check(out) || !PyDict_Check(into)) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_KeyError, "edge_fill: %R or %R is not a node", u, v);
            goto next;
        }
        PyObject *keydict = PyDict_GetItemWithError(out, v);
        if (keydict == NULL) {
            if (PyErr_Occurred())
                goto next;
            keydict = PyDict_New();
            if (keydict == NULL)
                goto next;
            int err = PyDict_SetItem(out, v, keydict) < 0 || PyDict_SetItem(into, u, keydict) < 0;
            Py_DECREF(keydict);  /* held by out */
            if (err)
                goto next;
        } else if (!PyDict_Check(keydict)) {
            PyErr_SetString(PyExc_TypeError, "edge_fill: a key dict that is not a dict");
            goto next;
        }
        PyObject *rtype = slot_get(r, off_rel[R_TYPE]), *properties = rtype ? slot_get(r, off_rel[R_PROPERTIES]) : NULL;
        PyObject *known = properties ? PyDict_GetItemWithError(known_by_type, rtype) : NULL;
        if (known == NULL) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_KeyError, "edge_fill: no known part for type %R", rtype);
            goto next;
        }
        PyObject *pair[2] = {r, known};
        PyObject *attrs = edge_attrs(NULL, pair, 2);
        if (attrs == NULL)
            goto next;
        int count = properties == Py_None ? 0 : PyObject_IsTrue(properties);
        PyObject *done = count > 0 ? PyObject_CallFunctionObjArgs(add_properties, attrs, properties, NULL) : NULL;
        if (count > 0 && done == NULL) {
            Py_DECREF(attrs);
            goto next;
        }
        Py_XDECREF(done);
        ok = count >= 0 && PyDict_SetItem(keydict, rid, attrs) == 0;
        Py_DECREF(attrs);
    next:
        Py_DECREF(r);
        if (!ok) {
            Py_DECREF(it);
            return NULL;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"setup", (PyCFunction)(void (*)(void))setup, METH_FASTCALL,
     "setup(MarkedMap, MarkedList, Mark, UNSUPPORTED)\n--\n\nThe classes of the tree, checked once."},
    {"read", (PyCFunction)(void (*)(void))read_text, METH_FASTCALL,
     "read(text, max_depth, max_nodes)\n--\n\nThe document of text, or UNSUPPORTED (see yamlfast.read_fast_py)."},
    {"maker", (PyCFunction)(void (*)(void))make_maker, METH_FASTCALL,
     "maker(cls, fields)\n--\n\nA callable making a cls from one value per field, stored in its slots."},
    {"relation", (PyCFunction)(void (*)(void))quick_relation, METH_FASTCALL,
     "relation(fields, ctx)\n--\n\nPass 2: the Relation of relation_fields' result, or None (see loaders.factbase)."},
    {"relation_fields_from", (PyCFunction)(void (*)(void))relation_fields_from, METH_FASTCALL,
     "relation_fields_from(items, start, path, ctx, out)\n--\n\nrelation_fields of items from start on, up to one that needs Python; its index."},
    {"relations_from", (PyCFunction)(void (*)(void))relations_from, METH_FASTCALL,
     "relations_from(entries, start, ctx, out, contributions)\n--\n\nrelation() of entries from start on, up to one that needs Python; its index."},
    {"check_context", (PyCFunction)(void (*)(void))check_quick_context, METH_FASTCALL,
     "check_context(ctx1, ctx2)\n--\n\nChecks the values relation_fields_from() and relation() read."},
    {"edge_setup", (PyCFunction)(void (*)(void))edge_setup, METH_FASTCALL,
     "edge_setup(Relation, Citation, Location)\n--\n\nThe record classes edge_attrs() reads, checked once."},
    {"edge_attrs", (PyCFunction)(void (*)(void))edge_attrs, METH_FASTCALL,
     "edge_attrs(relation, known)\n--\n\nThe core graph's edge attributes of a relation, less its properties."},
    {"edge_fill", (PyCFunction)(void (*)(void))edge_fill, METH_FASTCALL,
     "edge_fill(succ, pred, relations, make)\n--\n\nA MultiDiGraph's adjacency filled from the relations (see graph.core.build)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "_yamlfast", "The fast YAML reader of loaders.yamlfast, compiled.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__yamlfast(void)
{
    if (PyType_Ready(&MakerType) < 0)
        return NULL;
    return PyModule_Create(&moduledef);
}
