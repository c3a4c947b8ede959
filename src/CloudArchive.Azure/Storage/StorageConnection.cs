using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudArchive.Azure.Storage.Auth;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Storage.Queues;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// One storage account reached through one Azure.Core <see cref="HttpPipeline"/> (retries, logging, auth):
/// the root from which <see cref="Blobs"/> and <see cref="Queues"/> clients are taken. Thread-safe; create
/// one per account and share it.
/// </summary>
public sealed class StorageConnection
{
    private readonly Uri? _queueServiceUri;
    private readonly HttpPipelinePolicy _authPolicy;

    private StorageConnection(Uri blobServiceUri, Uri? queueServiceUri, string? accountName, StorageOptions options, HttpPipelinePolicy authPolicy, bool isLocalEmulator)
    {
        options.Validate();
        BlobServiceUri = Trim(blobServiceUri);
        _queueServiceUri = queueServiceUri is null ? null : Trim(queueServiceUri);
        AccountName = accountName;
        Options = options;
        _authPolicy = authPolicy;
        ImmutabilitySupported = options.ImmutabilitySupported ?? !isLocalEmulator;
        Pipeline = HttpPipelineBuilder.Build(options, [StorageVersionPolicy.Instance], [authPolicy], new ResponseClassifier());
        Blobs = new BlobStorageClient(this);
        Queues = new QueueStorageClient(this);
    }

    /// <summary>The blob service endpoint, without a trailing slash.</summary>
    public Uri BlobServiceUri { get; }

    /// <summary>The queue service endpoint; throws <see cref="InvalidOperationException"/> when none is configured.</summary>
    public Uri QueueServiceUri => _queueServiceUri
        ?? throw new InvalidOperationException("No queue endpoint is configured: set QueueEndpoint in the connection string or StorageOptions.QueueServiceUri.");

    /// <summary>The account name, when known.</summary>
    public string? AccountName { get; }

    /// <summary>The options this connection was built with (do not change them afterwards).</summary>
    public StorageOptions Options { get; }

    /// <summary>Whether immutability policies and legal holds may be used (resolved from <see cref="StorageOptions.ImmutabilitySupported"/>).</summary>
    public bool ImmutabilitySupported { get; }

    /// <summary>The Azure.Core pipeline every request goes through.</summary>
    public HttpPipeline Pipeline { get; }

    /// <summary>The blob service client.</summary>
    public BlobStorageClient Blobs { get; }

    /// <summary>The queue service client.</summary>
    public QueueStorageClient Queues { get; }

    /// <summary>Connects with a connection string (account key, SAS, or <c>UseDevelopmentStorage=true</c>).</summary>
    public static StorageConnection FromConnectionString(string connectionString, StorageOptions? options = null)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        options ??= new StorageOptions();
        HttpPipelinePolicy auth = parsed.AccountKey is not null
            ? new StorageSharedKeyPolicy(parsed.AccountName!, parsed.AccountKey)
            : new StorageSasPolicy(parsed.SharedAccessSignature!);
        var isLocal = parsed.IsDevelopmentStorage || IsLocalOrIp(parsed.BlobEndpoint);
        return new StorageConnection(parsed.BlobEndpoint, parsed.QueueEndpoint, parsed.AccountName, options, auth, isLocal);
    }

    /// <summary>
    /// Connects with an Entra ID credential (bearer tokens for <see cref="StorageApi.EntraScope"/>; HTTPS only).
    /// The queue endpoint defaults to the blob endpoint with <c>.blob.</c> replaced by <c>.queue.</c>.
    /// </summary>
    public static StorageConnection FromTokenCredential(Uri blobServiceUri, TokenCredential credential, StorageOptions? options = null, Uri? queueServiceUri = null)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new StorageOptions();
        queueServiceUri ??= options.QueueServiceUri ?? DeriveQueueUri(blobServiceUri);
        var auth = new StorageBearerTokenPolicy(credential);
        var account = blobServiceUri.Host.Split('.')[0];
        return new StorageConnection(blobServiceUri, queueServiceUri, account, options, auth, IsLocalOrIp(blobServiceUri));
    }

    /// <summary>
    /// Connects as configured: <see cref="StorageOptions.ConnectionString"/> if set, otherwise
    /// <see cref="StorageOptions.ServiceUri"/> with <paramref name="credential"/>.
    /// </summary>
    public static StorageConnection FromOptions(StorageOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.ConnectionString))
        {
            return FromConnectionString(options.ConnectionString, options);
        }

        if (options.ServiceUri is null)
        {
            throw new InvalidOperationException($"Configure {StorageOptions.SettingKeys.ConnectionString} or {StorageOptions.SettingKeys.ServiceUri}.");
        }

        if (credential is null)
        {
            throw new InvalidOperationException($"{StorageOptions.SettingKeys.ServiceUri} is set, so a TokenCredential is needed.");
        }

        return FromTokenCredential(options.ServiceUri, credential, options, options.QueueServiceUri);
    }

    /// <summary>
    /// Whether Blob Batch requests go to the service endpoint (<c>/?comp=batch</c>) rather than the container's.
    /// Only for an account SAS with service scope: Azurite (3.35) answers a container-scoped batch authorized by an
    /// account SAS with a 500, and the service-scoped batch is equally valid on Azure for such a SAS. A container
    /// SAS, Shared Key and bearer tokens use the container-scoped batch, which every credential may call.
    /// </summary>
    internal bool BatchAtServiceScope => _authPolicy is StorageSasPolicy { GrantsBlobServiceScope: true };

    /// <summary>
    /// Authenticates a request that is serialized into another one's body (a Blob Batch sub-request) exactly as
    /// the pipeline would authenticate it if sent: Shared Key signature, SAS query, or the cached bearer token.
    /// </summary>
    internal async ValueTask AuthenticateDetachedRequestAsync(HttpMessage message)
    {
        switch (_authPolicy)
        {
            case StorageBearerTokenPolicy bearer:
                await bearer.AuthorizeDetachedRequestAsync(message).ConfigureAwait(false);
                break;
            case HttpPipelineSynchronousPolicy synchronous:
                // StorageSharedKeyPolicy and StorageSasPolicy do all their work before sending.
                synchronous.OnSendingRequest(message);
                break;
            default:
                throw new NotSupportedException($"Sub-requests cannot be authenticated with {_authPolicy.GetType().Name}.");
        }
    }

    private static Uri Trim(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? new Uri(uri.AbsoluteUri.TrimEnd('/')) : uri;

    private static Uri? DeriveQueueUri(Uri blob) =>
        blob.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(blob) { Host = blob.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase) }.Uri
            : null;

    private static bool IsLocalOrIp(Uri uri) => uri.IsLoopback || IPAddress.TryParse(uri.Host, out _);
}
