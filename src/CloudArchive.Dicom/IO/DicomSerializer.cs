using System.IO.Compression;

namespace CloudArchive.Dicom;

/// <summary>The writer's implementation (one instance per output). See <see cref="DicomWriter"/>.</summary>
internal sealed class DicomSerializer
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly Stream _stream;
    private readonly DicomWriterOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<DicomDataset, long> _contentLengths = new(ReferenceEqualityComparer.Instance);

    public DicomSerializer(Stream stream, DicomWriterOptions options, CancellationToken cancellationToken)
    {
        if (options.BufferSize < 4096)
        {
            throw new ArgumentException("The writer buffer must be at least 4096 bytes.", nameof(options));
        }

        this._stream = stream;
        this._options = options;
        this._cancellationToken = cancellationToken;
    }

    public async Task WriteFileAsync(DicomFile file)
    {
        var ts = _options.TransferSyntax ?? file.TransferSyntax;
        Validate(file.Dataset, ts, file.TransferSyntax);
        var meta = BuildFileMeta(file, ts);
        var output = new DicomOutput(_stream, 64 * 1024, _cancellationToken);
        await output.WriteAsync(file.Preamble is { Length: 128 } p ? p : new byte[128], 1).ConfigureAwait(false);
        await output.WriteAsync("DICM"u8.ToArray(), 1).ConfigureAwait(false);
        await WriteDatasetAsync(output, meta, new Encoding(true, false), SequenceLengthEncoding.Defined).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
        await WriteBodyAsync(file.Dataset, ts).ConfigureAwait(false);
    }

    public async Task WriteDatasetOnlyAsync(DicomDataset dataset, TransferSyntax ts)
    {
        Validate(dataset, ts, null);
        await WriteBodyAsync(dataset, ts).ConfigureAwait(false);
    }

    internal static DicomDataset BuildFileMeta(DicomFile file, TransferSyntax ts)
    {
        var old = file.FileMetaInformation;
        var meta = new DicomDataset();
        meta.Set(new DicomValueElement(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, new byte[4]));
        // PS3.10 7.1: version 00 01, whatever an older writer put there (no_meta_group_length.dcm says 01 00).
        meta.Set(new DicomValueElement(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 }));
        CopyUid(meta, DicomTags.MediaStorageSOPClassUID, file.Dataset.Get(DicomTags.SOPClassUID) ?? old.Get(DicomTags.MediaStorageSOPClassUID));
        CopyUid(meta, DicomTags.MediaStorageSOPInstanceUID, file.Dataset.Get(DicomTags.SOPInstanceUID) ?? old.Get(DicomTags.MediaStorageSOPInstanceUID));
        meta.Set(DicomValueElement.FromStrings(DicomTags.TransferSyntaxUID, DicomVR.UI, new[] { ts.Uid }));
        meta.Set(DicomValueElement.FromStrings(DicomTags.ImplementationClassUID, DicomVR.UI, new[] { DicomImplementation.ClassUid }));
        meta.Set(DicomValueElement.FromStrings(DicomTags.ImplementationVersionName, DicomVR.SH, new[] { DicomImplementation.VersionName }));
        foreach (var e in old)
        {
            if (e.Tag.Group == 0x0002 && !meta.Contains(e.Tag) && e.Tag.Element is not (0x0000 or 0x0001 or 0x0002 or 0x0003 or 0x0010 or 0x0012 or 0x0013))
            {
                meta.Set(e);
            }
        }

        return meta;
    }

    private static void CopyUid(DicomDataset meta, DicomTag tag, DicomElement? from)
    {
        if (from is DicomValueElement { Length: <= 256 } v)
        {
            var bytes = v.GetBytes().ToArray();
            if ((bytes.Length & 1) == 1)
            {
                Array.Resize(ref bytes, bytes.Length + 1);
            }

            meta.Set(new DicomValueElement(tag, DicomVR.UI, bytes));
        }
    }

    private static void Validate(DicomDataset dataset, TransferSyntax target, TransferSyntax? source)
    {
        foreach (var e in dataset.Descendants())
        {
            if (e is DicomFragmentSequence)
            {
                if (!target.IsEncapsulated)
                {
                    throw new InvalidOperationException($"Encapsulated pixel data cannot be written in the native transfer syntax {target.Uid}; it would need decompression.");
                }

                if (source is not null && source.IsEncapsulated && source.Uid != target.Uid)
                {
                    throw new InvalidOperationException($"Encapsulated pixel data of {source.Uid} cannot be relabelled as {target.Uid}; the codec does not transcode compressed pixel data.");
                }
            }
        }

        if (target.IsEncapsulated && dataset.Get(DicomTags.PixelData) is DicomValueElement)
        {
            throw new InvalidOperationException($"Native pixel data cannot be written in the encapsulated transfer syntax {target.Uid}; it would need compression.");
        }
    }

    private async Task WriteBodyAsync(DicomDataset dataset, TransferSyntax ts)
    {
        var enc = new Encoding(ts.IsExplicitVR, ts.IsBigEndian);
        if (ts.IsDeflated)
        {
            var deflate = new DeflateStream(_stream, _options.DeflateLevel, leaveOpen: true);
            await using (deflate.ConfigureAwait(false))
            {
                var output = new DicomOutput(deflate, 64 * 1024, _cancellationToken);
                await WriteDatasetAsync(output, dataset, enc, _options.SequenceLengths).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
            }
        }
        else
        {
            var output = new DicomOutput(_stream, 64 * 1024, _cancellationToken);
            await WriteDatasetAsync(output, dataset, enc, _options.SequenceLengths).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }

        await _stream.FlushAsync(_cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteDatasetAsync(DicomOutput output, DicomDataset ds, Encoding enc, SequenceLengthEncoding mode)
    {
        var elements = ds.ToList();
        for (var i = 0; i < elements.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var e = elements[i];
            if (e.Tag.IsGroupLength && e is DicomValueElement)
            {
                // Group lengths are recomputed for the encoding actually written, so they are never stale.
                long groupLength = 0;
                for (var j = i + 1; j < elements.Count && elements[j].Tag.Group == e.Tag.Group; j++)
                {
                    groupLength += ElementLength(elements[j], enc, mode);
                }

                await WriteValueElementAsync(output, new DicomValueElement(e.Tag, DicomVR.UL, BitConverter.GetBytes(checked((uint)groupLength))), enc).ConfigureAwait(false);
                continue;
            }

            await WriteElementAsync(output, e, enc, mode).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteElementAsync(DicomOutput output, DicomElement e, Encoding enc, SequenceLengthEncoding mode)
    {
        switch (e)
        {
            case DicomValueElement v:
                await WriteValueElementAsync(output, v, enc).ConfigureAwait(false);
                break;
            case DicomSequence seq:
                var undefinedSeq = IsUndefinedSequence(seq, enc, mode);
                await output.EnsureSpaceAsync(12).ConfigureAwait(false);
                WriteHeader(output, seq.Tag, DicomVR.SQ, undefinedSeq ? UndefinedLength : checked((uint)SequenceContentLength(seq, enc, mode)), enc);
                foreach (var item in seq.Items)
                {
                    var undefinedItem = IsUndefined(item.UndefinedLength, mode);
                    await output.EnsureSpaceAsync(8).ConfigureAwait(false);
                    WriteItemHeader(output, 0xE000, undefinedItem ? UndefinedLength : checked((uint)DatasetContentLength(item, enc, mode)), enc);
                    await WriteDatasetAsync(output, item, enc, mode).ConfigureAwait(false);
                    if (undefinedItem)
                    {
                        await output.EnsureSpaceAsync(8).ConfigureAwait(false);
                        WriteItemHeader(output, 0xE00D, 0, enc);
                    }
                }

                if (undefinedSeq)
                {
                    await output.EnsureSpaceAsync(8).ConfigureAwait(false);
                    WriteItemHeader(output, 0xE0DD, 0, enc);
                }

                break;
            case DicomFragmentSequence frag:
                await output.EnsureSpaceAsync(12).ConfigureAwait(false);
                WriteHeader(output, frag.Tag, frag.VR, UndefinedLength, enc);
                foreach (var f in frag.Fragments.Prepend(frag.OffsetTable))
                {
                    var padded = f.Length + (f.Length & 1);
                    await output.EnsureSpaceAsync(8).ConfigureAwait(false);
                    WriteItemHeader(output, 0xE000, checked((uint)padded), enc);
                    await WriteFragmentBytesAsync(output, f).ConfigureAwait(false);
                    if ((f.Length & 1) == 1)
                    {
                        await output.EnsureSpaceAsync(1).ConfigureAwait(false);
                        output.WriteByte(0);
                    }
                }

                await output.EnsureSpaceAsync(8).ConfigureAwait(false);
                WriteItemHeader(output, 0xE0DD, 0, enc);
                break;
            default:
                throw new InvalidOperationException("Unknown element kind.");
        }
    }

    private async ValueTask WriteFragmentBytesAsync(DicomOutput output, DicomFragment f)
    {
        if (f.BulkData is { } bulk)
        {
            var s = bulk.OpenRead();
            await using (s.ConfigureAwait(false))
            {
                await output.CopyFromAsync(s, bulk.Length, 1, _options.BufferSize).ConfigureAwait(false);
            }
        }
        else
        {
            await output.WriteAsync(f.Bytes, 1).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteValueElementAsync(DicomOutput output, DicomValueElement v, Encoding enc)
    {
        var vr = WireVR(v, enc);
        var padded = v.Length + (v.Length & 1);
        await output.EnsureSpaceAsync(12).ConfigureAwait(false);
        WriteHeader(output, v.Tag, vr, checked((uint)padded), enc);
        var swap = enc.BigEndian ? v.VR.UnitSize : 1;
        if (v.BulkData is { } bulk)
        {
            var s = bulk.OpenRead();
            await using (s.ConfigureAwait(false))
            {
                await output.CopyFromAsync(s, bulk.Length, swap, _options.BufferSize).ConfigureAwait(false);
            }
        }
        else
        {
            await output.WriteAsync(v.Bytes, swap).ConfigureAwait(false);
        }

        if ((v.Length & 1) == 1)
        {
            await output.EnsureSpaceAsync(1).ConfigureAwait(false);
            output.WriteByte(v.VR.PaddingByte);
        }
    }

    private static DicomVR WireVR(DicomValueElement v, Encoding enc)
    {
        if (enc.Explicit && !v.VR.HasLongExplicitHeader && v.Length + (v.Length & 1) > 0xFFFF)
        {
            // PS3.5 6.2.2: a value too long for the 16-bit length field is written with a 32-bit layout VR.
            return v.VR == DicomVR.US || v.VR == DicomVR.SS ? DicomVR.OW : DicomVR.UN;
        }

        return v.VR;
    }

    private static void WriteHeader(DicomOutput output, DicomTag tag, DicomVR vr, uint length, Encoding enc)
    {
        output.WriteUInt16(tag.Group, enc.BigEndian);
        output.WriteUInt16(tag.Element, enc.BigEndian);
        if (!enc.Explicit)
        {
            output.WriteUInt32(length, enc.BigEndian);
            return;
        }

        output.WriteByte((byte)vr.Code[0]);
        output.WriteByte((byte)vr.Code[1]);
        if (vr.HasLongExplicitHeader)
        {
            output.WriteUInt16(0, enc.BigEndian);
            output.WriteUInt32(length, enc.BigEndian);
        }
        else
        {
            output.WriteUInt16(checked((ushort)length), enc.BigEndian);
        }
    }

    private static void WriteItemHeader(DicomOutput output, ushort element, uint length, Encoding enc)
    {
        output.WriteUInt16(0xFFFE, enc.BigEndian);
        output.WriteUInt16(element, enc.BigEndian);
        output.WriteUInt32(length, enc.BigEndian);
    }

    private static bool IsUndefined(bool asRead, SequenceLengthEncoding mode) => mode switch
    {
        SequenceLengthEncoding.Defined => false,
        SequenceLengthEncoding.Undefined => true,
        _ => asRead,
    };

    /// <summary>
    /// In implicit VR a reader can only recognise a sequence the dictionary does not call SQ (private, unknown) by
    /// its undefined length, so such sequences are always written with undefined length there.
    /// </summary>
    private static bool IsUndefinedSequence(DicomSequence seq, Encoding enc, SequenceLengthEncoding mode) =>
        IsUndefined(seq.UndefinedLength, mode) || (!enc.Explicit && DicomDictionary.GetDefaultVR(seq.Tag) != DicomVR.SQ);

    private long ElementLength(DicomElement e, Encoding enc, SequenceLengthEncoding mode)
    {
        switch (e)
        {
            case DicomValueElement when e.Tag.IsGroupLength:
                // Always rewritten as a 4-byte UL, whatever was read (see WriteDatasetAsync).
                return HeaderLength(DicomVR.UL, enc) + 4;
            case DicomValueElement v:
                var vr = WireVR(v, enc);
                return HeaderLength(vr, enc) + v.Length + (v.Length & 1);
            case DicomSequence seq:
                var content = SequenceContentLength(seq, enc, mode);
                return HeaderLength(DicomVR.SQ, enc) + content + (IsUndefinedSequence(seq, enc, mode) ? 8 : 0);
            case DicomFragmentSequence frag:
                long total = HeaderLength(frag.VR, enc) + 8;
                foreach (var f in frag.Fragments.Prepend(frag.OffsetTable))
                {
                    total += 8 + f.Length + (f.Length & 1);
                }

                return total;
            default:
                throw new InvalidOperationException("Unknown element kind.");
        }
    }

    private long SequenceContentLength(DicomSequence seq, Encoding enc, SequenceLengthEncoding mode)
    {
        long total = 0;
        foreach (var item in seq.Items)
        {
            total += 8 + DatasetContentLength(item, enc, mode) + (IsUndefined(item.UndefinedLength, mode) ? 8 : 0);
        }

        return total;
    }

    private long DatasetContentLength(DicomDataset ds, Encoding enc, SequenceLengthEncoding mode)
    {
        if (_contentLengths.TryGetValue(ds, out var cached))
        {
            return cached;
        }

        long total = 0;
        foreach (var e in ds)
        {
            total += ElementLength(e, enc, mode);
        }

        _contentLengths[ds] = total;
        return total;
    }

    private static int HeaderLength(DicomVR vr, Encoding enc) => !enc.Explicit ? 8 : vr.HasLongExplicitHeader ? 12 : 8;

    private readonly record struct Encoding(bool Explicit, bool BigEndian);
}
