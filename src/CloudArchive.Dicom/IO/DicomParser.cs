using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace CloudArchive.Dicom;

/// <summary>The reader's state machine (one instance per input). See <see cref="DicomReader"/> for behaviour.</summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint MaxMetaValueLength = 1 << 20;
    private static readonly Encoding ImplicitLE = new(false, false);

    private readonly Stream source;
    private readonly DicomReaderOptions options;
    private readonly SafeFileHandle? handle;
    private readonly CancellationToken cancellationToken;
    private readonly object gate = new();
    private readonly List<IDisposable> resources = new();
    private DicomInput input = null!;
    private SpoolFile? spool;
    private bool bulkByReference;
    private bool readingMeta;
    private long elementCount;
    private long inlineBytes;

    public DicomParser(Stream source, DicomReaderOptions options, SafeFileHandle? handle, CancellationToken cancellationToken)
    {
        if (options.BulkDataThreshold < 0 || options.MaxDepth < 1 || options.BufferSize < 1)
        {
            throw new ArgumentException("Invalid reader options.", nameof(options));
        }

        this.source = source;
        this.options = options;
        this.handle = handle;
        this.cancellationToken = cancellationToken;
    }

    public async Task<DicomFile> ReadFileAsync()
    {
        try
        {
            OpenInput();
            byte[]? preamble = null;
            if (await input.TryEnsureAsync(132).ConfigureAwait(false) && IsDicm(input.Span(132)[128..]))
            {
                preamble = await input.ReadBytesAsync(128, null).ConfigureAwait(false);
                input.Advance(4);
            }
            else if (await input.TryEnsureAsync(4).ConfigureAwait(false) && IsDicm(input.Span(4)))
            {
                input.Advance(4);
            }

            var meta = new DicomDataset();
            var hadMeta = false;
            if (await input.TryEnsureAsync(8).ConfigureAwait(false) && input.PeekByte(0) == 0x02 && input.PeekByte(1) == 0x00)
            {
                hadMeta = true;
                readingMeta = true;
                await ReadDatasetAsync(meta, new Encoding(true, false), 0, null, false, true, metaOnly: true).ConfigureAwait(false);
                readingMeta = false;
            }

            TransferSyntax ts;
            var guessed = false;
            if (meta.Get(DicomTags.TransferSyntaxUID) is DicomValueElement tsElement && tsElement.GetString().Trim('\0', ' ').Length > 0)
            {
                ts = TransferSyntax.Lookup(tsElement.GetString());
            }
            else
            {
                ts = await DetectAsync().ConfigureAwait(false);
                guessed = true;
            }

            var file = new DicomFile(new DicomDataset(), ts)
            {
                Preamble = preamble,
                FileMetaInformation = meta,
                HadPreamble = preamble is not null,
                HadFileMetaInformation = hadMeta,
                TransferSyntaxWasGuessed = guessed,
            };

            await ReadBodyAsync(file.Dataset, ts).ConfigureAwait(false);
            if (preamble is null && !hadMeta && file.Dataset.Count == 0)
            {
                throw new DicomFormatException("no DICOM data (empty input)", input.Position);
            }

            foreach (var r in resources)
            {
                file.Own(r);
            }

            return file;
        }
        catch
        {
            foreach (var r in resources)
            {
                r.Dispose();
            }

            throw;
        }
    }

    public async Task<DicomFile> ReadDatasetOnlyAsync(TransferSyntax ts)
    {
        try
        {
            OpenInput();
            var file = new DicomFile(new DicomDataset(), ts);
            await ReadBodyAsync(file.Dataset, ts).ConfigureAwait(false);
            foreach (var r in resources)
            {
                file.Own(r);
            }

            return file;
        }
        catch
        {
            foreach (var r in resources)
            {
                r.Dispose();
            }

            throw;
        }
    }

    private static bool IsDicm(ReadOnlySpan<byte> s) => s[0] == 'D' && s[1] == 'I' && s[2] == 'C' && s[3] == 'M';

    private static bool IsUpper(byte b) => b >= 'A' && b <= 'Z';

    private void OpenInput()
    {
        var seekable = source.CanSeek;
        input = new DicomInput(source, options.BufferSize, seekable ? source.Position : 0, seekable ? source.Length : null, seekable, cancellationToken);
        bulkByReference = seekable && (handle is not null || !options.SpoolSeekableStreams);
    }

    private async Task<TransferSyntax> DetectAsync()
    {
        if (!await input.TryEnsureAsync(8).ConfigureAwait(false))
        {
            return TransferSyntax.ExplicitVRLittleEndian;
        }

        var s = input.Span(8);
        var vrLike = IsUpper(s[4]) && IsUpper(s[5]);
        var groupLE = s[0] | (s[1] << 8);
        var groupBE = (s[0] << 8) | s[1];
        if (!vrLike)
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        return groupBE < groupLE ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
    }

    private async Task ReadBodyAsync(DicomDataset dataset, TransferSyntax ts)
    {
        if (ts.IsDeflated)
        {
            var start = input.Position;
            var prefix = input.TakeBuffered(out var streamOffset);
            if (source.CanSeek && source.Position != streamOffset)
            {
                source.Seek(streamOffset, SeekOrigin.Begin);
            }

            var zlib = prefix.Length >= 2 && prefix[0] == 0x78 && ((prefix[0] << 8) | prefix[1]) % 31 == 0;
            var counting = new CountingStream(source, prefix);
            Stream inflater = zlib ? new ZLibStream(counting, CompressionMode.Decompress, true) : new DeflateStream(counting, CompressionMode.Decompress, true);
            var guard = new InflateGuardStream(inflater, counting, options, start);
            resources.Add(guard);
            input = new DicomInput(guard, options.BufferSize, start, null, false, cancellationToken);
            bulkByReference = false;
        }

        await ReadDatasetAsync(dataset, new Encoding(ts.IsExplicitVR, ts.IsBigEndian), 0, null, false, true, metaOnly: false).ConfigureAwait(false);
    }

    private long? Bound(long? outer) =>
        outer is long o ? (input.End is long e ? Math.Min(o, e) : o) : input.End;

    private long CheckedEnd(long length, long? outer, long offset, DicomTag tag, string what)
    {
        var end = input.Position + length;
        if (Bound(outer) is long b && end > b)
        {
            throw new DicomFormatException($"{what} length {length} exceeds the {b - input.Position} bytes remaining", offset, tag);
        }

        return end;
    }

    /// <summary>Reads elements into <paramref name="ds"/> until the end of a defined-length item, an item delimiter
    /// (undefined-length item), the end of input (top level) or, for the meta group, the first non-0002 tag.</summary>
    private async ValueTask ReadDatasetAsync(DicomDataset ds, Encoding enc, int depth, long? end, bool undefinedItem, bool topLevel, bool metaOnly)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (end is long e)
            {
                if (input.Position == e)
                {
                    return;
                }

                if (input.Position > e)
                {
                    throw new DicomFormatException("element overruns the end of its item", input.Position, ds.ParentSequence?.Tag);
                }
            }

            var offset = input.Position;
            if (topLevel && !await input.TryEnsureAsync(1).ConfigureAwait(false))
            {
                return;
            }

            if (metaOnly)
            {
                if (!await input.TryEnsureAsync(8).ConfigureAwait(false) || input.PeekByte(0) != 0x02 || input.PeekByte(1) != 0x00)
                {
                    return;
                }
            }

            await input.EnsureAsync(8, ds.ParentSequence?.Tag).ConfigureAwait(false);
            var group = input.ReadUInt16(enc.BigEndian);
            var element = input.ReadUInt16(enc.BigEndian);
            var tag = new DicomTag(group, element);
            if (group == 0xFFFE)
            {
                var l = input.ReadUInt32(enc.BigEndian);
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

            if (++elementCount > options.MaxElementCount)
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
                var a = input.PeekByte(0);
                var b = input.PeekByte(1);
                if (DicomVR.TryParse(a, b, out vr) || (IsUpper(a) && IsUpper(b)))
                {
                    var known = vr.Code[0] == a && vr.Code[1] == b;
                    if (!known)
                    {
                        // PS3.5 6.2: a VR this reader does not know is read with the 32-bit length layout, as UN.
                        vr = DicomVR.UN;
                    }

                    input.Advance(2);
                    if (!known || vr.HasLongExplicitHeader)
                    {
                        await input.EnsureAsync(6, tag).ConfigureAwait(false);
                        input.Advance(2);
                        length = input.ReadUInt32(enc.BigEndian);
                    }
                    else
                    {
                        length = input.ReadUInt16(enc.BigEndian);
                    }
                }
                else
                {
                    // An implicit VR element inside an explicit VR dataset (e.g. an item copied from an implicit
                    // file): tolerated like dcmtk and pydicom do, since the VR bytes cannot be a VR.
                    explicitHere = false;
                    length = input.ReadUInt32(enc.BigEndian);
                    vr = ResolveImplicitVR(tag, ds, length);
                }
            }
            else
            {
                length = input.ReadUInt32(enc.BigEndian);
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
        if (readingMeta && length > MaxMetaValueLength)
        {
            throw new DicomFormatException($"file meta element of {length} bytes is implausibly long", offset, tag);
        }

        if (!readingMeta && (length > options.BulkDataThreshold || inlineBytes + length > options.MaxInlineBytes))
        {
            return new DicomValueElement(tag, vr, await ReadBulkAsync(tag, length, swap).ConfigureAwait(false));
        }

        inlineBytes += length;

        var bytes = await input.ReadBytesAsync((int)length, tag).ConfigureAwait(false);
        if (swap > 1)
        {
            RangeReadStream.Swap(bytes, swap);
        }

        return new DicomValueElement(tag, vr, bytes);
    }

    private async ValueTask<DicomBulkData> ReadBulkAsync(DicomTag tag, long length, int swap)
    {
        if (bulkByReference)
        {
            var at = input.StreamOffset;
            await input.SkipAsync(length, tag).ConfigureAwait(false);
            return handle is not null
                ? DicomBulkData.FromHandle(handle, at, length, swap)
                : DicomBulkData.FromSharedStream(source, gate, at, length, swap);
        }

        if (spool is null)
        {
            spool = new SpoolFile(options.TempDirectory, options.MaxSpoolLength);
            resources.Add(spool);
        }

        var start = spool.Length;
        var sourceOffset = input.Position;
        var s = spool;
        await input.CopyToAsync(length, m => s.AppendAsync(m, sourceOffset, tag, cancellationToken), tag).ConfigureAwait(false);
        return DicomBulkData.FromHandle(spool.Handle, start, length, swap);
    }

    private async ValueTask ReadSequenceAsync(DicomDataset ds, DicomTag tag, uint length, Encoding enc, int depth, long? outer, long offset)
    {
        if (depth + 1 > options.MaxDepth)
        {
            throw new DicomFormatException($"sequence nesting deeper than {options.MaxDepth}", offset, tag);
        }

        var undefined = length == UndefinedLength;
        var seq = new DicomSequence(tag) { UndefinedLength = undefined };
        ds.Set(seq);
        long? end = undefined ? outer : CheckedEnd(length, outer, offset, tag, "sequence");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!undefined)
            {
                if (input.Position == end)
                {
                    return;
                }

                if (input.Position > end)
                {
                    throw new DicomFormatException("item overruns the end of its sequence", input.Position, tag);
                }
            }
            else if (end is long e && input.Position >= e)
            {
                throw new DicomFormatException("undefined-length sequence not terminated before the end of its item", input.Position, tag);
            }

            var itemOffset = input.Position;
            await input.EnsureAsync(8, tag).ConfigureAwait(false);
            var g = input.ReadUInt16(enc.BigEndian);
            var el = input.ReadUInt16(enc.BigEndian);
            var l = input.ReadUInt32(enc.BigEndian);
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

            if (++elementCount > options.MaxElementCount)
            {
                throw new DicomFormatException("too many data elements", itemOffset, tag);
            }

            var item = new DicomDataset { UndefinedLength = l == UndefinedLength };
            seq.Items.Add(item);
            if (l == UndefinedLength)
            {
                await ReadDatasetAsync(item, enc, depth + 1, null, true, false, false).ConfigureAwait(false);
                if (end is long limit && input.Position > limit)
                {
                    throw new DicomFormatException("item overruns the end of its sequence", input.Position, tag);
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
            cancellationToken.ThrowIfCancellationRequested();
            var itemOffset = input.Position;
            await input.EnsureAsync(8, tag).ConfigureAwait(false);
            var g = input.ReadUInt16(enc.BigEndian);
            var el = input.ReadUInt16(enc.BigEndian);
            var l = input.ReadUInt32(enc.BigEndian);
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

            if (++elementCount > options.MaxElementCount)
            {
                throw new DicomFormatException("too many fragments", itemOffset, tag);
            }

            CheckedEnd(l, null, itemOffset, tag, "fragment");
            DicomFragment fragment;
            if (l > options.BulkDataThreshold || inlineBytes + l > options.MaxInlineBytes)
            {
                fragment = new DicomFragment(await ReadBulkAsync(tag, l, 1).ConfigureAwait(false));
            }
            else
            {
                inlineBytes += l;
                fragment = new DicomFragment(await input.ReadBytesAsync((int)l, tag).ConfigureAwait(false));
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

    private static DicomVR ResolveImplicitVR(DicomTag tag, DicomDataset ds, uint length)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        if (tag.IsPrivate)
        {
            return DicomVR.UN;
        }

        var entry = DicomDictionary.Lookup(tag);
        if (entry is null || entry.VRs.Count == 0)
        {
            return DicomVR.UN;
        }

        if (entry.VRs.Count == 1)
        {
            return entry.VRs[0];
        }

        var vrs = entry.VRs;
        if (vrs.Contains(DicomVR.OB) && vrs.Contains(DicomVR.OW))
        {
            if (length == UndefinedLength)
            {
                return DicomVR.OB;
            }

            // PS3.5 A.2: 8-bit Pixel Data is OB in explicit VR; everything else OW (A.1: implicit VR is OW).
            return tag == DicomTags.PixelData && FindUInt16(ds, DicomTags.BitsAllocated) is <= 8 ? DicomVR.OB : DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.OW) && length != UndefinedLength && length > 0xFFFE)
        {
            return DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.SS))
        {
            return FindUInt16(ds, DicomTags.PixelRepresentation) == 1 ? DicomVR.SS : DicomVR.US;
        }

        return vrs[0];
    }

    private static ushort? FindUInt16(DicomDataset? ds, DicomTag tag)
    {
        while (ds is not null)
        {
            if (ds.Get(tag) is DicomValueElement { Length: >= 2 and <= 64 } v)
            {
                return v.GetValues<ushort>()[0];
            }

            ds = ds.ParentSequence?.Parent;
        }

        return null;
    }

    private readonly record struct Encoding(bool Explicit, bool BigEndian);
}
