namespace CloudArchive.Dicom;

/// <summary>
/// The storage of a <see cref="DicomDataset"/>: elements kept sorted by tag in one list. A parser appends in tag order,
/// so the common insertion is a comparison with the last element and an append; lookups are a binary search on the
/// 32-bit tag value without the generic comparer of <see cref="SortedList{TKey, TValue}"/>, which dominated the
/// per-file CPU time of batch de-identification.
/// </summary>
/// <remarks>
/// A removal leaves a <see cref="Removed"/> marker in place instead of shifting the tail: the de-identifier and the
/// minimizer remove elements one at a time, and <c>List.RemoveAt</c> made removing k of n elements cost O(k·n) — 85 s
/// for an instance with a million private elements, a CPU denial of service on the export path. The markers keep the
/// tag order, so lookups and inserts still binary-search, and they are swept out in one O(n) pass the next time the
/// elements are enumerated. Removing k of n elements is therefore O(k log n + n).
/// </remarks>
internal sealed class DicomElementList
{
    private readonly List<DicomElement> _items = new();
    private int _removedCount;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Count - _removedCount;

    /// <summary>The elements in tag order (a live view: do not modify while enumerating).</summary>
    public List<DicomElement> Values
    {
        get
        {
            Compact();
            return _items;
        }
    }

    /// <summary>The tags in order (a live view: do not modify while enumerating).</summary>
    public IEnumerable<DicomTag> Keys
    {
        get
        {
            foreach (var e in Values)
            {
                yield return e.Tag;
            }
        }
    }

    /// <summary>
    /// How many element slots inserts and sweeps have moved since this list was created: the work that used to grow
    /// quadratically, kept so tests can bound it without timing anything.
    /// </summary>
    internal long ElementMoves { get; private set; }

    /// <summary>The element of a tag; <see cref="KeyNotFoundException"/> when absent.</summary>
    public DicomElement this[DicomTag tag] => GetValueOrDefault(tag) ?? throw new KeyNotFoundException($"The dataset does not hold {tag}.");

    /// <summary>Whether the tag is present.</summary>
    public bool ContainsKey(DicomTag tag) => GetValueOrDefault(tag) is not null;

    /// <summary>The element of a tag, or null.</summary>
    public DicomElement? GetValueOrDefault(DicomTag tag)
    {
        var i = IndexOf(tag.Value);
        return i >= 0 && _items[i] is not Removed ? _items[i] : null;
    }

    /// <summary>The element of a tag, if present.</summary>
    public bool TryGetValue(DicomTag tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DicomElement? element)
    {
        element = GetValueOrDefault(tag);
        return element is not null;
    }

    /// <summary>Adds or replaces the element of <paramref name="element"/>'s tag; returns the replaced one, if any.</summary>
    public DicomElement? Set(DicomElement element)
    {
        var i = IndexOf(element.Tag.Value);
        if (i >= 0)
        {
            var old = _items[i];
            _items[i] = element;
            if (old is Removed)
            {
                _removedCount--;
                return null;
            }

            return old;
        }

        if (_removedCount > 0)
        {
            // An insert shifts the tail, markers included: sweeping first costs one pass and keeps the markers of a mass
            // removal from being shifted again by every attribute the de-identifier adds afterwards.
            Compact();
            i = IndexOf(element.Tag.Value);
        }

        ElementMoves += _items.Count - ~i;
        _items.Insert(~i, element);
        return null;
    }

    /// <summary>Removes the element of a tag; returns it, or null when absent.</summary>
    public DicomElement? Remove(DicomTag tag)
    {
        var i = IndexOf(tag.Value);
        if (i < 0 || _items[i] is Removed)
        {
            return null;
        }

        var old = _items[i];
        _items[i] = new Removed(old);
        _removedCount++;
        return old;
    }

    /// <summary>Sweeps the removal markers out in one pass.</summary>
    private void Compact()
    {
        if (_removedCount == 0)
        {
            return;
        }

        ElementMoves += _items.Count;
        _items.RemoveAll(static e => e is Removed);
        _removedCount = 0;
    }

    /// <summary>The index of a tag value (possibly a removal marker), or the bitwise complement of its insertion point.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hottest lookup of a batch; no tier-0 phase
    private int IndexOf(uint value)
    {
        var n = _items.Count;
        if (n == 0)
        {
            return ~0;
        }

        // Appending in tag order (the parser, a writer building a dataset) is the common case.
        var last = _items[n - 1].Tag.Value;
        if (value > last)
        {
            return ~n;
        }

        if (value == last)
        {
            return n - 1;
        }

        var lo = 0;
        var hi = n - 2;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var v = _items[mid].Tag.Value;
            if (v == value)
            {
                return mid;
            }

            if (v < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    /// <summary>The place of a removed element until the next sweep: it keeps the tag so the order stays searchable.</summary>
    private sealed class Removed(DicomElement element) : DicomElement(element.Tag, element.VR);
}
