/* The fast YAML reader of loaders/yamlfast.py, compiled.
 *
 * read(text, max_depth, max_nodes) returns exactly what
 * loaders.yamlfast.read_fast_py returns for the same arguments: the same
 * tree of MarkedMap / MarkedList / str with the same mark, value_marks,
 * item_marks and _key_lines, or UNSUPPORTED wherever the Python reader
 * gives up (the caller then reads the file with the reference reader).
 * The Python reader is the specification; each branch below names the
 * Python condition it mirrors. tests/test_fastpath.py compares the two and
 * the reference reader on every corpus we have.
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
static PyObject *Unsupported, *EmptyTuple, *TwoQuotes, *OneQuote;
static Py_ssize_t off_map_mark, off_map_value_marks, off_map_key_lines, off_list_mark, off_list_item_marks;

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
    if (slot_offset(map, "mark", &off_map_mark) < 0 || slot_offset(map, "value_marks", &off_map_value_marks) < 0
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
    PyObject *marks = mark ? PyDict_New() : NULL;
    if (marks == NULL) {
        Py_XDECREF(mark);
        Py_DECREF(m);
        return NULL;
    }
    SLOT(m, off_map_mark) = mark;
    SLOT(m, off_map_value_marks) = marks;
    return m;
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
    r->depth++;
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

/* map[key] = value (stolen), value_marks[key] = mark (stolen) */
static int
set_value(PyObject *map, PyObject *key, PyObject *value, PyObject *mark)
{
    int failed = PyDict_SetItem(map, key, value);
    Py_DECREF(value);
    if (!failed)
        failed = PyDict_SetItem(SLOT(map, off_map_value_marks), key, mark);
    Py_DECREF(mark);
    return failed ? ERROR : 0;
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
            PyObject *mark = SLOT(child, kind_is_map ? off_map_mark : off_list_mark);
            Py_INCREF(mark);
            if (set_value(pmap, pkey, child, mark) < 0)
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
            r->depth--;
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
        PyObject *mark = new_mark(r, rs - start + 1);
        if (mark == NULL) {
            Py_DECREF(value);
            goto error;
        }
        if (set_value(container, key, value, mark) < 0)
            goto error;
        Py_CLEAR(key);
    next:
        if (end >= n)
            break;
        pos = end + 1;
    }
    if (pkey != NULL || root == NULL)
        goto bail;  /* an empty value (null) at the end; or no mapping at all */
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
    /* 3 * lines + commas > max_nodes, without overflow */
    if (status == 0 && (lines > (PY_SSIZE_T_MAX - commas) / 3 || 3 * lines + commas > max_nodes))
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

static PyMethodDef methods[] = {
    {"setup", (PyCFunction)(void (*)(void))setup, METH_FASTCALL,
     "setup(MarkedMap, MarkedList, Mark, UNSUPPORTED)\n--\n\nThe classes of the tree, checked once."},
    {"read", (PyCFunction)(void (*)(void))read_text, METH_FASTCALL,
     "read(text, max_depth, max_nodes)\n--\n\nThe document of text, or UNSUPPORTED (see yamlfast.read_fast_py)."},
    {"maker", (PyCFunction)(void (*)(void))make_maker, METH_FASTCALL,
     "maker(cls, fields)\n--\n\nA callable making a cls from one value per field, stored in its slots."},
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
