namespace CloudArchive.Dicom;

// The parser's sequences and items, and the fragments of encapsulated pixel data.
internal sealed partial class DicomParser
{
    private async ValueTask ReadSequenceAsync(DicomDataset ds, DicomTag tag, uint length, Encoding enc, int depth, long? outer, long offset)
    {
        if (depth + 1 > _options.MaxDepth)
        {
            throw new DicomFormatException($"sequence nesting deeper than {_options.MaxDepth}", offset, tag);
        }

        var undefined = length == UndefinedLength;
        var seq = new DicomSequence(tag) { UndefinedLength = undefined };
        ds.Set(seq);
        long? end = undefined ? outer : CheckedEnd(length, outer, offset, tag, "sequence");
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!undefined)
            {
                if (_input.Position == end)
                {
                    return;
                }

                if (_input.Position > end)
                {
                    throw new DicomFormatException("item overruns the end of its sequence", _input.Position, tag);
                }
            }
            else if (end is long e && _input.Position >= e)
            {
                throw new DicomFormatException("undefined-length sequence not terminated before the end of its item", _input.Position, tag);
            }

            var itemOffset = _input.Position;
            await _input.EnsureAsync(8, tag).ConfigureAwait(false);
            var g = _input.ReadUInt16(enc.BigEndian);
            var el = _input.ReadUInt16(enc.BigEndian);
            var l = _input.ReadUInt32(enc.BigEndian);
            if (g == 0xFFFE && el == 0xE0DD)
            {
                if (undefined)
                {
                    return;
                }

                throw new DicomFormatException("sequence delimitation item in a defined-length sequence", itemOffset, tag);
            }

            if (g != 0xFFFE || el != 0xE000)
            {
                throw new DicomFormatException($"expected an item tag in the sequence, found {new DicomTag(g, el)}", itemOffset, tag);
            }

            if (++_elementCount > _options.MaxElementCount)
            {
                throw new DicomFormatException("too many data elements", itemOffset, tag);
            }

            var item = new DicomDataset { UndefinedLength = l == UndefinedLength };
            seq.Items.Add(item);
            if (l == UndefinedLength)
            {
                await ReadDatasetAsync(item, enc, depth + 1, null, true, false, false).ConfigureAwait(false);
                if (end is long limit && _input.Position > limit)
                {
                    throw new DicomFormatException("item overruns the end of its sequence", _input.Position, tag);
                }
            }
            else
            {
                var itemEnd = CheckedEnd(l, end, itemOffset, tag, "item");
                await ReadDatasetAsync(item, enc, depth + 1, itemEnd, false, false, false).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask ReadFragmentsAsync(DicomDataset ds, DicomTag tag, DicomVR vr, Encoding enc, long offset)
    {
        DicomFragment? offsetTable = null;
        var fragments = new List<DicomFragment>();
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var itemOffset = _input.Position;
            await _input.EnsureAsync(8, tag).ConfigureAwait(false);
            var g = _input.ReadUInt16(enc.BigEndian);
            var el = _input.ReadUInt16(enc.BigEndian);
            var l = _input.ReadUInt32(enc.BigEndian);
            if (g == 0xFFFE && el == 0xE0DD)
            {
                break;
            }

            if (g != 0xFFFE || el != 0xE000)
            {
                throw new DicomFormatException($"expected a fragment item in encapsulated pixel data, found {new DicomTag(g, el)}", itemOffset, tag);
            }

            if (l == UndefinedLength)
            {
                throw new DicomFormatException("encapsulated fragment with undefined length", itemOffset, tag);
            }

            if (++_elementCount > _options.MaxElementCount)
            {
                throw new DicomFormatException("too many fragments", itemOffset, tag);
            }

            CheckedEnd(l, null, itemOffset, tag, "fragment");
            DicomFragment fragment;
            if (l > _options.BulkDataThreshold || _inlineBytes + l > _options.MaxInlineBytes)
            {
                fragment = new DicomFragment(await ReadBulkAsync(tag, l, 1).ConfigureAwait(false));
            }
            else
            {
                _inlineBytes += l;
                fragment = new DicomFragment(await _input.ReadBytesAsync((int)l, tag).ConfigureAwait(false));
            }
            if (offsetTable is null)
            {
                offsetTable = fragment;
            }
            else
            {
                fragments.Add(fragment);
            }
        }

        ds.Set(new DicomFragmentSequence(tag, vr, offsetTable ?? new DicomFragment(ReadOnlyMemory<byte>.Empty), fragments));
    }
}
