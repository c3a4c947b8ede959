using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>The blob service of one account: containers, and Find Blobs by Tags across them. Thread-safe.</summary>
public sealed class BlobStorageClient
{
    private readonly StorageConnection _connection;

    internal BlobStorageClient(StorageConnection connection) => _connection = connection;

    /// <summary>The connection (pipeline, options) this client uses.</summary>
    public StorageConnection Connection => _connection;

    /// <summary>A client for one container (no request is made).</summary>
    public BlobContainerClient GetContainer(string containerName) => new(_connection, containerName);

    /// <summary>
    /// Blobs in any container whose index tags match <paramref name="tagFilter"/> (e.g.
    /// <c>"ca_study" = 'ABC' AND "ca_hold" = '1'</c>), fetched page by page as the caller iterates.
    /// </summary>
    public IAsyncEnumerable<TaggedBlobItem> FindBlobsByTagsAsync(string tagFilter, int? pageSize = null, CancellationToken cancellationToken = default) =>
        FindByTagsAsync(_connection, _connection.BlobServiceUri, isContainer: false, tagFilter, pageSize, cancellationToken);

    internal static async IAsyncEnumerable<TaggedBlobItem> FindByTagsAsync(StorageConnection connection, Uri uri, bool isContainer, string tagFilter, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tagFilter);
        string? marker = null;
        do
        {
            var resource = isContainer ? uri : new Uri(uri.AbsoluteUri.TrimEnd('/') + "/");
            using var message = StorageHttp.CreateMessage(
                connection.Pipeline,
                RequestMethod.Get,
                resource,
                ("restype", isContainer ? "container" : null),
                ("comp", "blobs"),
                ("where", tagFilter),
                ("marker", marker),
                ("maxresults", pageSize?.ToString(CultureInfo.InvariantCulture)));
            var response = await StorageHttp.SendAsync(connection.Pipeline, message, "FindBlobsByTags", true, cancellationToken, 200).ConfigureAwait(false);
            var (items, next) = BlobXml.ParseFindByTags(response.ContentStream!);
            foreach (var item in items)
            {
                yield return item;
            }

            marker = next;
        }
        while (marker is not null);
    }
}
