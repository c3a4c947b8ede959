using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>One blob container: create, delete, list (paged), find by tags, and its blobs. Thread-safe.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageConnection _connection;

    internal BlobContainerClient(StorageConnection connection, string name)
    {
        BlobNames.ValidateContainerName(name);
        _connection = connection;
        Name = name;
        Uri = StorageHttp.Child(connection.BlobServiceUri, Uri.EscapeDataString(name));
    }

    /// <summary>The container name.</summary>
    public string Name { get; }

    /// <summary>The container URI.</summary>
    public Uri Uri { get; }

    /// <summary>A client for one blob in this container (no request is made).</summary>
    public BlobClient GetBlob(string blobName) => new(_connection, Name, Uri, blobName);

    /// <summary>Creates the container if it does not exist; returns true if this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri, ("restype", "container"));
        try
        {
            await StorageHttp.SendAsync(_connection.Pipeline, message, "CreateContainer", true, cancellationToken, 201).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict && ex.ErrorCode == "ContainerAlreadyExists")
        {
            return false;
        }
    }

    /// <summary>Deletes the container and everything in it; returns false if it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Delete, Uri, ("restype", "container"));
        try
        {
            await StorageHttp.SendAsync(_connection.Pipeline, message, "DeleteContainer", true, cancellationToken, 202).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>True if the container exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Head, Uri, ("restype", "container"));
        try
        {
            await StorageHttp.SendAsync(_connection.Pipeline, message, "GetContainerProperties", true, cancellationToken, 200).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Gets one page of the listing, starting at <paramref name="continuationToken"/> (null = first page).</summary>
    public async Task<BlobPage> GetBlobPageAsync(BlobListOptions? options = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        options ??= new BlobListOptions();
        if (options.PageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(options));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 5000, nameof(options));
        }

        var include = new List<string>();
        if (options.IncludeMetadata)
        {
            include.Add("metadata");
        }

        if (options.IncludeTags)
        {
            include.Add("tags");
        }

        if (options.IncludeSnapshots)
        {
            include.Add("snapshots");
        }

        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Get,
            Uri,
            ("restype", "container"),
            ("comp", "list"),
            ("prefix", string.IsNullOrEmpty(options.Prefix) ? null : options.Prefix),
            ("delimiter", string.IsNullOrEmpty(options.Delimiter) ? null : options.Delimiter),
            ("marker", string.IsNullOrEmpty(continuationToken) ? null : continuationToken),
            ("maxresults", options.PageSize?.ToString(CultureInfo.InvariantCulture)),
            ("include", include.Count > 0 ? string.Join(',', include) : null));
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "ListBlobs", true, cancellationToken, 200).ConfigureAwait(false);
        return BlobXml.ParseListPage(response.ContentStream!);
    }

    /// <summary>All pages of the listing, one request per page, fetched as the caller iterates.</summary>
    public async IAsyncEnumerable<BlobPage> ListBlobPagesAsync(BlobListOptions? options = null, string? continuationToken = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var token = continuationToken;
        do
        {
            var page = await GetBlobPageAsync(options, token, cancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>All entries of the listing across pages.</summary>
    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(BlobListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in ListBlobPagesAsync(options, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }

    /// <summary>The most deletes one <see cref="DeleteBatchAsync"/> call accepts (the service's limit per Blob Batch).</summary>
    public const int MaxBatchDeletes = BlobBatchRequestBuilder.MaxSubRequests;

    /// <summary>
    /// Deletes up to <see cref="MaxBatchDeletes"/> blobs of this container with one Blob Batch request and returns
    /// each delete's own outcome, in the order given. A 404 or 412 of one delete is its result, not an exception;
    /// the whole call throws <see cref="StorageRequestException"/> (or the transport's exception) only when the
    /// batch as a whole fails or its response cannot be read.
    /// </summary>
    /// <remarks>
    /// Every sub-request carries its own authentication (Shared Key signature, SAS, or bearer token) inside the
    /// request body. So that it can never reach a log, the deletes are sent one by one instead when request
    /// content logging (<c>Diagnostics.IsLoggingContentEnabled</c>) is on.
    /// </remarks>
    public async Task<IReadOnlyList<BlobBatchDeleteResult>> DeleteBatchAsync(IReadOnlyList<BlobBatchDelete> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count > MaxBatchDeletes)
        {
            throw new ArgumentException($"A batch holds at most {MaxBatchDeletes} deletes.", nameof(items));
        }

        if (items.Count == 0)
        {
            return [];
        }

        foreach (var item in items)
        {
            BlobBatchRequestBuilder.Validate(item);
        }

        if (_connection.Options.Diagnostics.IsLoggingContentEnabled)
        {
            return await Task.WhenAll(items.Select(item => DeleteOneAsync(item, cancellationToken))).ConfigureAwait(false);
        }

        var (body, contentType) = await BlobBatchRequestBuilder.BuildDeletesAsync(_connection, Uri, items).ConfigureAwait(false);
        using var message = _connection.BatchAtServiceScope
            ? StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Post, new Uri(_connection.BlobServiceUri.AbsoluteUri.TrimEnd('/') + "/"), ("comp", "batch"))
            : StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Post, Uri, ("restype", "container"), ("comp", "batch"));
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, BlobBatchResponseParser.Operation, true, cancellationToken, 202).ConfigureAwait(false);
        return BlobBatchResponseParser.Parse(response, items.Count);
    }

    /// <summary>One delete as a plain Delete Blob request, reported like a batch sub-request.</summary>
    internal async Task<BlobBatchDeleteResult> DeleteOneAsync(BlobBatchDelete item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await GetBlob(item.BlobName).DeleteAsync(item.ToDeleteOptions(), cancellationToken).ConfigureAwait(false);
            return BlobBatchDeleteResult.Accepted();
        }
        catch (StorageRequestException ex)
        {
            return BlobBatchDeleteResult.FromException(ex);
        }
    }

    /// <summary>Blobs of this container whose index tags match <paramref name="tagFilter"/>, e.g. <c>"ca_study" = 'ABC'</c>.</summary>
    public IAsyncEnumerable<TaggedBlobItem> FindBlobsByTagsAsync(string tagFilter, int? pageSize = null, CancellationToken cancellationToken = default) =>
        BlobStorageClient.FindByTagsAsync(_connection, Uri, isContainer: true, tagFilter, pageSize, cancellationToken);
}
