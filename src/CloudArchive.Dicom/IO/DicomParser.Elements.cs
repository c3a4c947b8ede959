namespace CloudArchive.Dicom;

// The parser's element loop: element headers, values read inline or left in place as bulk data.
internal sealed partial class DicomParser
{
    /// <summary>Reads elements into <paramref name="ds"/> until the end of a defined-length item, an item delimiter
    /// (undefined-length item), the end of input (top level) or, for the meta group, the first non-0002 tag.</summary>
    private async ValueTask ReadDatasetAsync(DicomDataset ds, Encoding enc, int depth, long? end, bool undefinedItem, bool topLevel, bool metaOnly)
    {
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (end is long e)
            {
                if (_input.Position == e)
                {
                    return;
                }

                if (_input.Position > e)
                {
                    throw new DicomFormatException("element overruns the end of its item", _input.Position, ds.ParentSequence?.Tag);
                }
            }

            var offset = _input.Position;
            if (topLevel && !await _input.TryEnsureAsync(1).ConfigureAwait(false))
            {
                return;
            }

            if (metaOnly)
            {
                if (!await _input.TryEnsureAsync(8).ConfigureAwait(false) || _input.PeekByte(0) != 0x02 || _input.PeekByte(1) != 0x00)
                {
                    return;
                }
            }

            await _input.EnsureAsync(8, ds.ParentSequence?.Tag).ConfigureAwait(false);
            var group = _input.ReadUInt16(enc.BigEndian);
            var element = _input.ReadUInt16(enc.BigEndian);
            var tag = new DicomTag(group, element);
            if (group == 0xFFFE)
            {
                var l = _input.ReadUInt32(enc.BigEndian);
                if (element == 0xE00D && undefinedItem)
                {
                    if (l != 0)
                    {
                        throw new DicomFormatException("item delimitation item with non-zero length", offset, tag);
                    }

                    return;
                }

                if (element == 0xE0DD && topLevel && l == 0)
                {
                    // A stray sequence delimiter after the dataset (written by some old toolkits); dcmtk skips it too.
                    continue;
                }

                throw new DicomFormatException($"unexpected {tag} where a data element was expected", offset, tag);
            }

            if (++_elementCount > _options.MaxElementCount)
            {
                throw new DicomFormatException("too many data elements", offset, tag);
            }

            if (group == 0x0002 && !metaOnly)
            {
                // PS3.10 7.1: group 0002 exists only in the file meta group; here it means a corrupt meta group.
                throw new DicomFormatException("file meta element outside the file meta group", offset, tag);
            }

            DicomVR vr;
            uint length;
            var explicitHere = enc.Explicit;
            if (enc.Explicit)
            {
                var a = _input.PeekByte(0);
                var b = _input.PeekByte(1);
                if (DicomVR.TryParse(a, b, out vr) || (IsUpper(a) && IsUpper(b)))
                {
                    var known = vr.Code[0] == a && vr.Code[1] == b;
                    if (!known)
                    {
                        // PS3.5 6.2: a VR this reader does not know is read with the 32-bit length layout, as UN.
                        vr = DicomVR.UN;
                    }

                    _input.Advance(2);
                    if (!known || vr.HasLongExplicitHeader)
                    {
                        await _input.EnsureAsync(6, tag).ConfigureAwait(false);
                        _input.Advance(2);
                        length = _input.ReadUInt32(enc.BigEndian);
                    }
                    else
                    {
                        length = _input.ReadUInt16(enc.BigEndian);
                    }
                }
                else
                {
                    // An implicit VR element inside an explicit VR dataset (e.g. an item copied from an implicit
                    // file): tolerated like dcmtk and pydicom do, since the VR bytes cannot be a VR.
                    explicitHere = false;
                    length = _input.ReadUInt32(enc.BigEndian);
                    vr = ResolveImplicitVR(tag, ds, length);
                }
            }
            else
            {
                length = _input.ReadUInt32(enc.BigEndian);
                vr = ResolveImplicitVR(tag, ds, length);
            }

            if (ds.Contains(tag))
            {
                throw new DicomFormatException("duplicate data element", offset, tag);
            }

            if (length == UndefinedLength)
            {
                if (vr == DicomVR.SQ)
                {
                    await ReadSequenceAsync(ds, tag, length, enc, depth, end, offset).ConfigureAwait(false);
                }
                else if (tag == DicomTags.PixelData || vr == DicomVR.OB || vr == DicomVR.OW)
                {
                    await ReadFragmentsAsync(ds, tag, vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, enc, offset).ConfigureAwait(false);
                }
                else if (vr == DicomVR.UN)
                {
                    // CP-246 (explicit UN) and unknown private tags in implicit VR: a sequence encoded implicit VR LE.
                    await ReadSequenceAsync(ds, tag, length, explicitHere ? ImplicitLE : enc, depth, end, offset).ConfigureAwait(false);
                }
                else
                {
                    throw new DicomFormatException($"undefined length is not allowed for VR {vr.Code}", offset, tag);
                }

                continue;
            }

            if (vr == DicomVR.SQ)
            {
                await ReadSequenceAsync(ds, tag, length, enc, depth, end, offset).ConfigureAwait(false);
                continue;
            }

            if (vr.UnitSize > 1 && length % vr.UnitSize != 0)
            {
                if (explicitHere)
                {
                    throw new DicomFormatException($"value length {length} is not a multiple of {vr.UnitSize} as VR {vr.Code} requires", offset, tag);
                }

                vr = DicomVR.UN;
            }

            ds.Set(await ReadValueAsync(tag, vr, length, enc, end, offset).ConfigureAwait(false));
        }
    }

    private async ValueTask<DicomElement> ReadValueAsync(DicomTag tag, DicomVR vr, uint length, Encoding enc, long? outer, long offset)
    {
        CheckedEnd(length, outer, offset, tag, "value");
        var swap = enc.BigEndian ? vr.UnitSize : 1;
        // File meta values are always inline: the reader needs them (transfer syntax) and they are small.
        if (_readingMeta && length > MaxMetaValueLength)
        {
            throw new DicomFormatException($"file meta element of {length} bytes is implausibly long", offset, tag);
        }

        if (!_readingMeta && (length > _options.BulkDataThreshold || _inlineBytes + length > _options.MaxInlineBytes))
        {
            return new DicomValueElement(tag, vr, await ReadBulkAsync(tag, length, swap).ConfigureAwait(false));
        }

        _inlineBytes += length;

        var bytes = await _input.ReadBytesAsync((int)length, tag).ConfigureAwait(false);
        if (swap > 1)
        {
            RangeReadStream.Swap(bytes, swap);
        }

        return new DicomValueElement(tag, vr, bytes);
    }

    private async ValueTask<DicomBulkData> ReadBulkAsync(DicomTag tag, long length, int swap)
    {
        if (_bulkByReference)
        {
            var at = _input.StreamOffset;
            await _input.SkipAsync(length, tag).ConfigureAwait(false);
            return _handle is not null
                ? DicomBulkData.FromHandle(_handle, at, length, swap)
                : DicomBulkData.FromSharedStream(_source, _gate, at, length, swap);
        }

        if (_spool is null)
        {
            _spool = new SpoolFile(_options.TempDirectory, _options.MaxSpoolLength);
            _resources.Add(_spool);
        }

        var start = _spool.Length;
        var sourceOffset = _input.Position;
        var s = _spool;
        await _input.CopyToAsync(length, m => s.AppendAsync(m, sourceOffset, tag, _cancellationToken), tag).ConfigureAwait(false);
        return DicomBulkData.FromHandle(_spool.Handle, start, length, swap);
    }
}
