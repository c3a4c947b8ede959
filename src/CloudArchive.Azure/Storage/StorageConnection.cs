using System.Net;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// One storage account as the archive reaches it: the SDK's <see cref="BlobServiceClient"/> and
/// <see cref="QueueServiceClient"/>, built once from <see cref="StorageOptions"/> with the pinned service version, the
/// logging allow-lists and the credential. Thread-safe; create one per account and share it. Child clients
/// (<c>Blobs.GetBlobContainerClient(name)</c>) are cheap and share the pipeline.
/// </summary>
public sealed class StorageConnection
{
    private StorageConnection(BlobServiceClient blobs, QueueServiceClient? queues, string? accountName, StorageOptions options, StorageCredentialKind credentialKind, bool isLocalEmulator)
    {
        Blobs = blobs;
        QueuesOrNull = queues;
        AccountName = accountName;
        Options = options;
        CredentialKind = credentialKind;
        IsLocalEmulator = isLocalEmulator;
        ImmutabilitySupported = options.ImmutabilitySupported ?? !isLocalEmulator;
    }

    /// <summary>
    /// Whether this is the local emulator rather than an Azure account: <c>UseDevelopmentStorage</c>, a loopback or IP
    /// endpoint, or Azurite's published development key on any host (e.g. <c>http://azurite:10000</c>).
    /// </summary>
    public bool IsLocalEmulator { get; }

    /// <summary>The blob service client.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>The queue service client; throws <see cref="InvalidOperationException"/> when no queue endpoint is configured.</summary>
    public QueueServiceClient Queues => QueuesOrNull
        ?? throw new InvalidOperationException("No queue endpoint is configured: set QueueEndpoint in the connection string or CloudArchive:Storage:QueueServiceUri.");

    /// <summary>The queue service client, or null when no queue endpoint is configured.</summary>
    public QueueServiceClient? QueuesOrNull { get; }

    /// <summary>The blob service endpoint.</summary>
    public Uri BlobServiceUri => Blobs.Uri;

    /// <summary>The account name, when known.</summary>
    public string? AccountName { get; }

    /// <summary>How requests are authorized.</summary>
    public StorageCredentialKind CredentialKind { get; }

    /// <summary>The options this connection was built with (do not change them afterwards).</summary>
    public StorageOptions Options { get; }

    /// <summary>Whether immutability policies and legal holds may be used (resolved from <see cref="StorageOptions.ImmutabilitySupported"/>).</summary>
    public bool ImmutabilitySupported { get; }

    /// <summary>Connects with a connection string (account key, SAS, or <c>UseDevelopmentStorage=true</c>).</summary>
    /// <exception cref="FormatException">The connection string is malformed (the message never echoes a secret).</exception>
    /// <exception cref="InsecureStorageTransportException">A key or SAS would travel over plain HTTP to a remote host.</exception>
    public static StorageConnection FromConnectionString(string connectionString, StorageOptions? options = null)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        options ??= new StorageOptions();
        options.Validate();
        var kind = parsed.AccountKey is not null ? StorageCredentialKind.SharedKey : StorageCredentialKind.SharedAccessSignature;
        StorageTransportSecurity.EnsureSecretsStayEncrypted(kind, parsed.IsPublicDevelopmentKey, parsed.BlobEndpoint, parsed.QueueEndpoint);

        var blobOptions = options.CreateBlobClientOptions();
        var queueOptions = options.CreateQueueClientOptions();
        BlobServiceClient blobs;
        QueueServiceClient? queues = null;
        if (parsed.AccountKey is not null)
        {
            var key = new StorageSharedKeyCredential(parsed.AccountName!, parsed.AccountKey);
            blobs = new BlobServiceClient(parsed.BlobEndpoint, key, blobOptions);
            if (parsed.QueueEndpoint is not null)
            {
                queues = new QueueServiceClient(parsed.QueueEndpoint, key, queueOptions);
            }
        }
        else
        {
            var sas = new AzureSasCredential(parsed.SharedAccessSignature!);
            blobs = new BlobServiceClient(parsed.BlobEndpoint, sas, blobOptions);
            if (parsed.QueueEndpoint is not null)
            {
                queues = new QueueServiceClient(parsed.QueueEndpoint, sas, queueOptions);
            }
        }

        var isLocal = parsed.IsDevelopmentStorage || parsed.IsPublicDevelopmentKey || IsLocalOrIp(parsed.BlobEndpoint);
        return new StorageConnection(blobs, queues, parsed.AccountName, options, kind, isLocal);
    }

    /// <summary>
    /// The keyring's connection: its own account when <see cref="StorageOptions.KeyringServiceUri"/> is set (reached
    /// with Entra ID; a shred is final there), else <paramref name="main"/>. The composition root and <c>doctor</c>
    /// both use this, so they always look at the same account.
    /// </summary>
    public static StorageConnection ForKeyring(StorageConnection main, StorageOptions options, Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        return options.KeyringServiceUri is { } keyringUri ? FromTokenCredential(keyringUri, credential(), options) : main;
    }

    /// <summary>
    /// Connects with an Entra ID credential (<c>DefaultAzureCredential</c> or a managed identity; HTTPS only, the SDK
    /// refuses bearer tokens over HTTP). The queue endpoint defaults to the blob endpoint with <c>.blob.</c> replaced by
    /// <c>.queue.</c>.
    /// </summary>
    public static StorageConnection FromTokenCredential(Uri blobServiceUri, TokenCredential credential, StorageOptions? options = null, Uri? queueServiceUri = null)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new StorageOptions();
        options.Validate();
        queueServiceUri ??= options.QueueServiceUri ?? DeriveQueueUri(blobServiceUri);
        StorageTransportSecurity.EnsureSecretsStayEncrypted(StorageCredentialKind.EntraId, isPublicDevelopmentKey: false, blobServiceUri, queueServiceUri);
        var blobs = new BlobServiceClient(blobServiceUri, credential, options.CreateBlobClientOptions());
        var queues = queueServiceUri is null ? null : new QueueServiceClient(queueServiceUri, credential, options.CreateQueueClientOptions());
        var account = blobServiceUri.Host.Split('.')[0];
        return new StorageConnection(blobs, queues, account, options, StorageCredentialKind.EntraId, IsLocalOrIp(blobServiceUri));
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

    private static Uri? DeriveQueueUri(Uri blob) =>
        blob.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(blob) { Host = blob.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase) }.Uri
            : null;

    private static bool IsLocalOrIp(Uri uri) => uri.IsLoopback || IPAddress.TryParse(uri.Host, out _);
}
