using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace CloudArchive.Dicom;

/// <summary>The reader's state machine (one instance per input). See <see cref="DicomReader"/> for behaviour.</summary>
internal sealed partial class DicomParser
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

    private readonly record struct Encoding(bool Explicit, bool BigEndian);
}
