using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The response-body adapter that lets ZipArchive's synchronous writes through without blocking I/O.</summary>
public sealed class DeferredSyncWriteStreamTests
{
    [Fact]
    public async Task Synchronous_writes_wait_for_the_next_asynchronous_write_or_flush_and_keep_their_order()
    {
        var inner = new MemoryStream();
        var stream = new DeferredSyncWriteStream(inner);

        stream.Write([1, 2]);
        stream.Flush();
        Assert.Equal(0, inner.Length);
        await stream.WriteAsync(new byte[] { 3 }, TestContext.Current.CancellationToken);
        stream.Write([4]);
        await stream.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, inner.ToArray());
    }

    [Fact]
    public async Task After_abandon_nothing_more_reaches_the_response()
    {
        var inner = new MemoryStream();
        var stream = new DeferredSyncWriteStream(inner);
        await stream.WriteAsync(new byte[] { 1 }, TestContext.Current.CancellationToken);
        stream.Write([2]);

        stream.Abandon();
        stream.Write([3]);
        await stream.WriteAsync(new byte[] { 4 }, TestContext.Current.CancellationToken);
        await stream.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new byte[] { 1 }, inner.ToArray());
    }
}
