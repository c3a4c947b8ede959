using System.Collections;

namespace CloudArchive.Dicom;

/// <summary>
/// An ordered set of data elements, kept sorted by tag (the order the standard requires on the wire). Also used for
/// sequence items and for the file meta group. Not thread-safe: use a dataset from one thread at a time (the first
/// enumeration after a removal compacts the storage, so even reads write).
/// <para>Walking recursively: enumerate the dataset; for each <see cref="DicomSequence"/> enumerate its
/// <see cref="DicomSequence.Items"/> (each a dataset) the same way; or use <see cref="Descendants"/>.</para>
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly DicomElementList _elements = new();
    private DicomCharacterSet? _characterSet;

    /// <summary>Creates an empty dataset.</summary>
    public DicomDataset()
    {
    }

    /// <summary>Creates a dataset holding the given elements.</summary>
    public DicomDataset(IEnumerable<DicomElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var e in elements)
        {
            Set(e);
        }
    }

    /// <summary>The number of elements at this level.</summary>
    public int Count => _elements.Count;

    /// <summary>The sequence this dataset is an item of, or null for a top-level dataset.</summary>
    public DicomSequence? ParentSequence { get; internal set; }

    /// <summary>
    /// True when this item was read with undefined length (item delimitation); used by the writer's
    /// <see cref="SequenceLengthEncoding.AsRead"/>. Meaningless for a top-level dataset.
    /// </summary>
    public bool UndefinedLength { get; set; }

    /// <summary>
    /// The character set in effect for this dataset: its own Specific Character Set (0008,0005) or, for an item
    /// without one, the one of the enclosing dataset; the default repertoire otherwise.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            if (_elements.TryGetValue(DicomTags.SpecificCharacterSet, out var e) && e is DicomValueElement v)
            {
                return _characterSet = DicomCharacterSet.FromSpecificCharacterSet(v.GetStrings());
            }

            return ParentSequence?.Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>The element with this tag.</summary>
    /// <exception cref="KeyNotFoundException">No such element.</exception>
    public DicomElement this[DicomTag tag] => _elements[tag];

    /// <summary>The tags at this level, ascending.</summary>
    public IEnumerable<DicomTag> Tags => _elements.Keys;

    /// <summary>True when an element with this tag exists at this level.</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    /// <summary>Gets the element with this tag at this level.</summary>
    public bool TryGet(DicomTag tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DicomElement? element) => _elements.TryGetValue(tag, out element);

    /// <summary>The element with this tag, or null.</summary>
    public DicomElement? Get(DicomTag tag) => _elements.GetValueOrDefault(tag);

    /// <summary>Adds or replaces the element with the same tag.</summary>
    public void Set(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var old = _elements.Set(element);
        if (old is DicomSequence oldSeq && !ReferenceEquals(old, element))
        {
            oldSeq.Parent = null;
        }

        if (element is DicomSequence seq)
        {
            seq.Parent = this;
        }

        if (element.Tag == DicomTags.SpecificCharacterSet)
        {
            _characterSet = null;
        }
    }

    /// <summary>Adds an element; fails if the tag is already present.</summary>
    /// <exception cref="ArgumentException">An element with the same tag exists.</exception>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (_elements.ContainsKey(element.Tag))
        {
            throw new ArgumentException($"The dataset already holds {element.Tag}.", nameof(element));
        }

        Set(element);
    }

    /// <summary>Removes the element with this tag; returns false when absent.</summary>
    public bool Remove(DicomTag tag)
    {
        var old = _elements.Remove(tag);
        if (old is null)
        {
            return false;
        }

        if (old is DicomSequence seq)
        {
            seq.Parent = null;
        }

        if (tag == DicomTags.SpecificCharacterSet)
        {
            _characterSet = null;
        }

        return true;
    }

    /// <summary>Removes every element at this level matching the predicate; returns how many were removed.</summary>
    public int RemoveAll(Func<DicomElement, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var doomed = _elements.Values.Where(predicate).Select(e => e.Tag).ToList();
        foreach (var t in doomed)
        {
            Remove(t);
        }

        return doomed.Count;
    }

    /// <summary>
    /// Every element at this level and inside sequence items, depth first, in tag order (a sequence comes before
    /// the elements of its items). Do not modify the datasets while enumerating.
    /// </summary>
    public IEnumerable<DicomElement> Descendants()
    {
        foreach (var e in _elements.Values)
        {
            yield return e;
            if (e is DicomSequence seq)
            {
                foreach (var item in seq.Items)
                {
                    foreach (var d in item.Descendants())
                    {
                        yield return d;
                    }
                }
            }
        }
    }

    /// <summary>The string value of an element (decoded with <see cref="CharacterSet"/>), or null when absent.</summary>
    public string? GetString(DicomTag tag) => _elements.GetValueOrDefault(tag) is DicomValueElement v ? v.GetString(CharacterSet) : null;

    /// <summary>The string values of an element (decoded with <see cref="CharacterSet"/>), or an empty array when absent.</summary>
    public string[] GetStrings(DicomTag tag) => _elements.GetValueOrDefault(tag) is DicomValueElement v ? v.GetStrings(CharacterSet) : Array.Empty<string>();

    /// <summary>The first binary value of an element as <typeparamref name="T"/>, or null when absent or empty.</summary>
    public T? GetValue<T>(DicomTag tag)
        where T : unmanaged
    {
        if (_elements.GetValueOrDefault(tag) is DicomValueElement v)
        {
            var values = v.GetValues<T>();
            return values.Length > 0 ? values[0] : null;
        }

        return null;
    }

    /// <summary>
    /// Sets a string element; the VR defaults to the dictionary VR of the tag (LO for private creators, UN when
    /// unknown, which is rejected). Text is encoded with <see cref="CharacterSet"/>.
    /// </summary>
    /// <exception cref="DicomValueException">No string VR could be determined or the text cannot be encoded.</exception>
    public void SetString(DicomTag tag, string value, DicomVR? vr = null) => SetStrings(tag, new[] { value }, vr);

    /// <summary>Sets a multi-valued string element (values joined with a backslash).</summary>
    /// <exception cref="DicomValueException">No string VR could be determined or the text cannot be encoded.</exception>
    public void SetStrings(DicomTag tag, IEnumerable<string> values, DicomVR? vr = null)
    {
        var useVr = vr ?? DicomDictionary.GetDefaultVR(tag);
        Set(DicomValueElement.FromStrings(tag, useVr, values, CharacterSet));
    }

    /// <summary>
    /// The private creator string that owns a private data element (gggg,xxyy): the value of (gggg,00xx) in this
    /// dataset, or null when the tag is not private data or the creator is missing.
    /// </summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        var creatorTag = tag.PrivateCreatorTag;
        return creatorTag is { } ct && _elements.GetValueOrDefault(ct) is DicomValueElement v ? v.GetString(CharacterSet).Trim() : null;
    }

    /// <summary>
    /// Finds the private data element for a creator and element byte, e.g. (<c>0x0029</c>, "SIEMENS CSA HEADER",
    /// <c>0x10</c>) finds (0029,xx10) in the block that creator reserved; null when absent.
    /// </summary>
    public DicomElement? GetPrivate(ushort group, string creator, byte elementOffset)
    {
        ArgumentNullException.ThrowIfNull(creator);
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            if (_elements.GetValueOrDefault(new DicomTag(group, block)) is DicomValueElement v && v.GetString(CharacterSet).Trim() == creator.Trim())
            {
                return _elements.GetValueOrDefault(new DicomTag(group, (ushort)((block << 8) | elementOffset)));
            }
        }

        return null;
    }

    /// <summary>
    /// A deep copy: new datasets and sequences all the way down; value elements and fragments are immutable and
    /// shared (bulk values keep referring to the same source, so the original <see cref="DicomFile"/> must stay open).
    /// </summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { UndefinedLength = UndefinedLength };
        foreach (var e in _elements.Values)
        {
            copy.Set(e switch
            {
                DicomSequence seq => CloneSequence(seq),
                DicomFragmentSequence frag => new DicomFragmentSequence(frag.Tag, frag.VR, frag.OffsetTable, frag.Fragments),
                _ => e,
            });
        }

        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<DicomElement> GetEnumerator() => _elements.Values.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static DicomSequence CloneSequence(DicomSequence seq)
    {
        var copy = new DicomSequence(seq.Tag, seq.Items.Select(i => i.Clone())) { UndefinedLength = seq.UndefinedLength };
        return copy;
    }

    /// <summary>
    /// Element slots this level's storage has moved by inserts and sweeps (not counting items of sequences): lets tests
    /// bound the work of an edit without timing it.
    /// </summary>
    internal long ElementMoves => _elements.ElementMoves;

    /// <summary>Appends without re-sorting when the reader delivers ascending tags (the common case).</summary>
    internal bool TryAppendFromReader(DicomElement element)
    {
        if (_elements.ContainsKey(element.Tag))
        {
            return false;
        }

        Set(element);
        return true;
    }
}
