using CloudArchive.Dicom;
using CloudArchive.Research.Publication;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>A research store whose first read of one blob fails with an I/O error after <paramref name="breakAfter"/> bytes (a storage connection dropping mid-transfer).</summary>
internal sealed class BreakingResearchStore(IResearchStore inner, string breaking, int breakAfter) : IResearchStore
{
    private int _broken;

    public Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) =>
        inner.PutAsync(name, content, contentType, tags, cancellationToken);

    public async Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var blob = await inner.OpenReadAsync(name, cancellationToken);
        if (blob is null || name != breaking || Interlocked.Exchange(ref _broken, 1) == 1)
        {
            return blob;
        }

        var bytes = new MemoryStream();
        await blob.Content.CopyToAsync(bytes, cancellationToken);
        await blob.DisposeAsync();
        return new ResearchBlob(new FailingStream(bytes.ToArray().AsMemory(0, breakAfter)), bytes.Length);
    }

    public IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

    private sealed class FailingStream(ReadOnlyMemory<byte> head) : ReadOnlyStream
    {
        private int _position;

        public override long Position => _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= head.Length)
            {
                throw new IOException("simulated connection reset");
            }

            var n = Math.Min(buffer.Length, head.Length - _position);
            head.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    }
}
