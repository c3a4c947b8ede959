namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>Lists the uploads in <c>incoming</c> (block blobs only), page by page. Transient failures surface as exceptions.</summary>
public interface IIncomingInventory
{
    /// <summary>Every upload, in name order.</summary>
    IAsyncEnumerable<IncomingBlob> ListAsync(CancellationToken cancellationToken);
}
