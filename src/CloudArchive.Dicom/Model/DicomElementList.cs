namespace CloudArchive.Dicom;

/// <summary>
/// The storage of a <see cref="DicomDataset"/>: elements kept sorted by tag in one list. A parser appends in tag order,
/// so the common insertion is a comparison with the last element and an append; lookups are a binary search on the
/// 32-bit tag value without the generic comparer of <see cref="SortedList{TKey, TValue}"/>, which dominated the
/// per-file CPU time of batch de-identification.
/// </summary>
internal sealed class DicomElementList
{
    private readonly List<DicomElement> items = new();

    /// <summary>The number of elements.</summary>
    public int Count => items.Count;

    /// <summary>The elements in tag order (a live view: do not modify while enumerating).</summary>
    public List<DicomElement> Values => items;

    /// <summary>The tags in order (a live view: do not modify while enumerating).</summary>
    public IEnumerable<DicomTag> Keys
    {
        get
        {
            foreach (var e in items)
            {
                yield return e.Tag;
            }
        }
    }

    /// <summary>The element of a tag; <see cref="KeyNotFoundException"/> when absent.</summary>
    public DicomElement this[DicomTag tag]
    {
        get
        {
            var i = IndexOf(tag.Value);
            return i >= 0 ? items[i] : throw new KeyNotFoundException($"The dataset does not hold {tag}.");
        }
    }

    /// <summary>Whether the tag is present.</summary>
    public bool ContainsKey(DicomTag tag) => IndexOf(tag.Value) >= 0;

    /// <summary>The element of a tag, or null.</summary>
    public DicomElement? GetValueOrDefault(DicomTag tag)
    {
        var i = IndexOf(tag.Value);
        return i >= 0 ? items[i] : null;
    }

    /// <summary>The element of a tag, if present.</summary>
    public bool TryGetValue(DicomTag tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DicomElement? element)
    {
        var i = IndexOf(tag.Value);
        element = i >= 0 ? items[i] : null;
        return element is not null;
    }

    /// <summary>Adds or replaces the element of <paramref name="element"/>'s tag; returns the replaced one, if any.</summary>
    public DicomElement? Set(DicomElement element)
    {
        var i = IndexOf(element.Tag.Value);
        if (i >= 0)
        {
            var old = items[i];
            items[i] = element;
            return old;
        }

        items.Insert(~i, element);
        return null;
    }

    /// <summary>Removes the element of a tag; returns it, or null when absent.</summary>
    public DicomElement? Remove(DicomTag tag)
    {
        var i = IndexOf(tag.Value);
        if (i < 0)
        {
            return null;
        }

        var old = items[i];
        items.RemoveAt(i);
        return old;
    }

    /// <summary>The index of a tag value, or the bitwise complement of its insertion point.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hottest lookup of a batch; no tier-0 phase
    private int IndexOf(uint value)
    {
        var n = items.Count;
        if (n == 0)
        {
            return ~0;
        }

        // Appending in tag order (the parser, a writer building a dataset) is the common case.
        var last = items[n - 1].Tag.Value;
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
            var v = items[mid].Tag.Value;
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
}
