using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// Everything that configures the archive's Blob and Queue SDK clients: where the account is, which service
/// version is spoken, how big archive uploads are cut, and which optional service features may be used.
/// </summary>
/// <remarks>
/// Configuration keys (section <c>CloudArchive:Storage</c>, env <c>CloudArchive__Storage__*</c>) are listed in
/// <see cref="SettingKeys"/> and read by <see cref="FromSettings"/>. <see cref="ApplyTo"/> sets the SDK's logging so
/// that the <c>Authorization</c> header, SAS signatures, metadata and tag values are never written to logs: only the
/// headers and query parameters named here are logged, everything else is shown as <c>REDACTED</c>.
/// </remarks>
public sealed class StorageOptions
{
    /// <summary>Names of the configuration keys read by <see cref="FromSettings"/>.</summary>
    public static class SettingKeys
    {
        /// <summary>A storage connection string (account key, SAS, or <c>UseDevelopmentStorage=true</c>).</summary>
        public const string ConnectionString = "CloudArchive:Storage:ConnectionString";

        /// <summary>The blob service endpoint used with an Entra ID credential.</summary>
        public const string ServiceUri = "CloudArchive:Storage:ServiceUri";

        /// <summary>The queue service endpoint used with an Entra ID credential (derived from ServiceUri if absent).</summary>
        public const string QueueServiceUri = "CloudArchive:Storage:QueueServiceUri";

        /// <summary>
        /// The blob endpoint of a separate keyring account, used with an Entra ID credential (blank: the keyring container
        /// lives in the main account). A separate account keeps the keyring free of soft delete and versioning, so a
        /// crypto-shred is final, while the data account keeps both (docs/deploy.md).
        /// </summary>
        public const string KeyringServiceUri = "CloudArchive:Storage:KeyringServiceUri";

        /// <summary><c>true</c>/<c>false</c>: whether immutability policies and legal holds may be used.</summary>
        public const string ImmutabilitySupported = "CloudArchive:Storage:ImmutabilitySupported";

        /// <summary>Largest upload sent as one Put Blob, in bytes.</summary>
        public const string SingleUploadThresholdBytes = "CloudArchive:Storage:SingleUploadThresholdBytes";

        /// <summary>Block size of staged uploads, in bytes.</summary>
        public const string BlockSizeBytes = "CloudArchive:Storage:BlockSizeBytes";

        /// <summary>Blocks uploaded in parallel (and held in memory) per staged upload.</summary>
        public const string MaxUploadConcurrency = "CloudArchive:Storage:MaxUploadConcurrency";

        /// <summary><c>Base64</c> or <c>None</c>: queue message encoding.</summary>
        public const string QueueMessageEncoding = "CloudArchive:Storage:QueueMessageEncoding";

        /// <summary>How often a failed request is retried (Azure.Core's exponential back-off), 0 to 10.</summary>
        public const string MaxRetries = "CloudArchive:Storage:MaxRetries";

        /// <summary>The storage REST version every request carries, e.g. <c>2025-05-05</c>.</summary>
        public const string ServiceVersion = "CloudArchive:Storage:ServiceVersion";
    }

    /// <summary>
    /// The service version sent when none is configured. The SDK's own default (2026-10-06) is newer than the pinned
    /// Azurite 3.35.0 accepts (its newest is 2025-11-05); 2025-05-05 is accepted by both and is new enough for 4000 MiB
    /// blocks, blob index tags, the immutability APIs and transactional MD5 on every request.
    /// </summary>
    public const string DefaultServiceVersion = "2025-05-05";

    /// <summary>Headers that carry no secret and no caller data; all others are logged as REDACTED.</summary>
    private static readonly string[] SafeHeaders =
    [
        "x-ms-request-id", "x-ms-client-request-id", "x-ms-return-client-request-id", "x-ms-version", "x-ms-date",
        "x-ms-error-code", "x-ms-blob-type", "x-ms-lease-action", "x-ms-lease-duration", "x-ms-lease-state",
        "x-ms-lease-status", "x-ms-delete-snapshots", "x-ms-blob-append-offset", "x-ms-blob-committed-block-count",
        "x-ms-request-server-encrypted", "x-ms-approximate-messages-count", "x-ms-immutability-policy-mode",
        "x-ms-legal-hold", "Content-Type", "Content-Length", "Content-Range", "Accept-Ranges", "ETag",
        "Last-Modified", "Date", "Server", "Retry-After", "Transfer-Encoding", "User-Agent", "Accept",
    ];

    /// <summary>Query parameters that carry no secret; <c>sig</c>, <c>popreceipt</c>, names and prefixes are redacted.</summary>
    private static readonly string[] SafeQueryParameters =
    [
        "restype", "comp", "maxresults", "include", "numofmessages", "visibilitytimeout", "messagettl",
        "peekonly", "timeout", "api-version", "sv", "ss", "srt", "sp", "st", "se", "spr", "sr",
    ];

    /// <summary>A storage connection string; when set it wins over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint (e.g. <c>https://acct.blob.core.windows.net</c>) for Entra ID auth.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The queue service endpoint for Entra ID auth; derived from <see cref="ServiceUri"/> when null.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The blob endpoint of a separate keyring account (Entra ID only), or null for the main account.</summary>
    public Uri? KeyringServiceUri { get; set; }

    /// <summary>
    /// Whether version-level immutability policies and legal holds may be used. Null (the default) means:
    /// false for the development storage emulator and for loopback/IP endpoints (Azurite lacks them),
    /// true otherwise. When false, those operations throw <see cref="NotSupportedException"/> without
    /// sending anything.
    /// </summary>
    public bool? ImmutabilitySupported { get; set; }

    /// <summary>
    /// Largest upload (in bytes) sent as a single Put Blob, at most 5000 MiB; larger ones are staged in blocks. For a
    /// stream that cannot seek, at most <see cref="BlockSizeBytes"/> is read ahead to decide. Default 16 MiB.
    /// </summary>
    public long SingleUploadThresholdBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Block size of staged uploads. Default 8 MiB; at most 4000 MiB.</summary>
    public int BlockSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Blocks of one staged upload in flight at once. Memory held by an upload is at most this many blocks plus the
    /// one being filled from the stream. Default 4.
    /// </summary>
    public int MaxUploadConcurrency { get; set; } = 4;

    /// <summary>Chunk fetched per ranged GET by the seekable upload reader. Default 4 MiB.</summary>
    public int ReadChunkBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How queue message text is encoded. Default <see cref="QueueMessageEncoding.Base64"/> (what the Functions queue trigger expects).</summary>
    public QueueMessageEncoding QueueMessageEncoding { get; set; } = QueueMessageEncoding.Base64;

    /// <summary>
    /// How often a failed request (5xx, 408, 429, no response) is retried, with Azure.Core's exponential back-off.
    /// Default 3, Azure.Core's own. Lower it where an unreachable account must be reported quickly.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The storage REST version (<c>x-ms-version</c>) of every request. Default <see cref="DefaultServiceVersion"/>.</summary>
    public string ServiceVersion { get; set; } = DefaultServiceVersion;

    /// <summary>
    /// Applied last to the SDK clients' options: retry, transport and extra pipeline policies (tests use it to inject
    /// faults or count requests). It must not turn content logging on.
    /// </summary>
    public Action<ClientOptions>? ConfigureClient { get; set; }

    /// <summary>The Blob client options these settings describe.</summary>
    /// <exception cref="FormatException"><see cref="ServiceVersion"/> is not one the SDK knows.</exception>
    public BlobClientOptions CreateBlobClientOptions()
    {
        var options = new BlobClientOptions(ParseVersion<BlobClientOptions.ServiceVersion>());
        ApplyTo(options);
        return options;
    }

    /// <summary>The Queue client options these settings describe.</summary>
    /// <exception cref="FormatException"><see cref="ServiceVersion"/> is not one the SDK knows.</exception>
    public QueueClientOptions CreateQueueClientOptions()
    {
        var options = new QueueClientOptions(ParseVersion<QueueClientOptions.ServiceVersion>()) { MessageEncoding = QueueMessageEncoding };
        ApplyTo(options);
        return options;
    }

    /// <summary>
    /// Builds options from configuration values looked up by key (e.g. <c>key =&gt; configuration[key]</c>);
    /// missing keys keep their defaults. Throws <see cref="FormatException"/> naming the key of a bad value.
    /// </summary>
    public static StorageOptions FromSettings(Func<string, string?> getSetting)
    {
        ArgumentNullException.ThrowIfNull(getSetting);
        var options = new StorageOptions
        {
            ConnectionString = NullIfBlank(getSetting(SettingKeys.ConnectionString)),
        };

        if (NullIfBlank(getSetting(SettingKeys.ServiceUri)) is { } serviceUri)
        {
            options.ServiceUri = ParseUri(SettingKeys.ServiceUri, serviceUri);
        }

        if (NullIfBlank(getSetting(SettingKeys.QueueServiceUri)) is { } queueUri)
        {
            options.QueueServiceUri = ParseUri(SettingKeys.QueueServiceUri, queueUri);
        }

        if (NullIfBlank(getSetting(SettingKeys.KeyringServiceUri)) is { } keyringUri)
        {
            // The separate keyring account is what makes a shred final; ignoring it silently would put the keys in the
            // data account, where soft delete and versions keep them.
            options.KeyringServiceUri = options.ConnectionString is null
                ? ParseUri(SettingKeys.KeyringServiceUri, keyringUri)
                : throw new FormatException($"{SettingKeys.KeyringServiceUri} is reached with Entra ID ({SettingKeys.ServiceUri}); it cannot be combined with {SettingKeys.ConnectionString}.");
        }

        if (NullIfBlank(getSetting(SettingKeys.ImmutabilitySupported)) is { } immutability)
        {
            options.ImmutabilitySupported = bool.TryParse(immutability, out var b)
                ? b
                : throw new FormatException($"{SettingKeys.ImmutabilitySupported} must be true or false.");
        }

        if (NullIfBlank(getSetting(SettingKeys.SingleUploadThresholdBytes)) is { } threshold)
        {
            options.SingleUploadThresholdBytes = ParsePositive(SettingKeys.SingleUploadThresholdBytes, threshold, MaxPutBlobBytes);
        }

        if (NullIfBlank(getSetting(SettingKeys.BlockSizeBytes)) is { } blockSize)
        {
            options.BlockSizeBytes = (int)ParsePositive(SettingKeys.BlockSizeBytes, blockSize, MaxBlockSizeBytes);
        }

        if (NullIfBlank(getSetting(SettingKeys.MaxUploadConcurrency)) is { } concurrency)
        {
            options.MaxUploadConcurrency = (int)ParsePositive(SettingKeys.MaxUploadConcurrency, concurrency, 64);
        }

        if (NullIfBlank(getSetting(SettingKeys.QueueMessageEncoding)) is { } encoding)
        {
            options.QueueMessageEncoding = Enum.TryParse<QueueMessageEncoding>(encoding, ignoreCase: true, out var e) && Enum.IsDefined(e)
                ? e
                : throw new FormatException($"{SettingKeys.QueueMessageEncoding} must be Base64 or None.");
        }

        if (NullIfBlank(getSetting(SettingKeys.MaxRetries)) is { } retries)
        {
            options.MaxRetries = retries == "0" ? 0 : (int)ParsePositive(SettingKeys.MaxRetries, retries, 10);
        }

        if (NullIfBlank(getSetting(SettingKeys.ServiceVersion)) is { } version)
        {
            options.ServiceVersion = version;
            _ = options.ParseVersion<BlobClientOptions.ServiceVersion>();
            _ = options.ParseVersion<QueueClientOptions.ServiceVersion>();
        }

        return options;
    }

    /// <summary>The service's largest block (4000 MiB) that still fits an <see cref="int"/> buffer length.</summary>
    internal const long MaxBlockSizeBytes = int.MaxValue - 64;

    /// <summary>The service's largest Put Blob (5000 MiB): above it a one-request write cannot exist.</summary>
    internal const long MaxPutBlobBytes = 5000L * 1024 * 1024;

    /// <summary>Checks the numeric settings and throws <see cref="ArgumentOutOfRangeException"/> for a bad one.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SingleUploadThresholdBytes, 0, nameof(SingleUploadThresholdBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SingleUploadThresholdBytes, MaxPutBlobBytes, nameof(SingleUploadThresholdBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSizeBytes, 1, nameof(BlockSizeBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUploadConcurrency, 1, nameof(MaxUploadConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadChunkBytes, 1, nameof(ReadChunkBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRetries, 10, nameof(MaxRetries));
    }

    /// <summary>
    /// Maps <c>2025-05-05</c> to the SDK's <c>V2025_05_05</c>; refuses a version the SDK does not know, naming the key.
    /// </summary>
    private T ParseVersion<T>()
        where T : struct, Enum =>
        System.Text.RegularExpressions.Regex.IsMatch(ServiceVersion, @"\A\d{4}-\d{2}-\d{2}\z")
        && Enum.TryParse<T>("V" + ServiceVersion.Replace('-', '_'), out var version) && Enum.IsDefined(version)
            ? version
            : throw new FormatException($"{SettingKeys.ServiceVersion} must be a storage service version the SDK knows, such as {DefaultServiceVersion}.");

    private void ApplyTo(ClientOptions options)
    {
        options.Diagnostics.LoggedHeaderNames.Clear();
        foreach (var name in SafeHeaders)
        {
            options.Diagnostics.LoggedHeaderNames.Add(name);
        }

        options.Diagnostics.LoggedQueryParameters.Clear();
        foreach (var name in SafeQueryParameters)
        {
            options.Diagnostics.LoggedQueryParameters.Add(name);
        }

        options.Diagnostics.IsLoggingContentEnabled = false;
        options.Diagnostics.ApplicationId = "cloudarchive";
        options.Retry.MaxRetries = MaxRetries;
        ConfigureClient?.Invoke(options);
        if (options.Diagnostics.IsLoggingContentEnabled)
        {
            // Bodies hold ciphertext, audit lines and control documents; none of it belongs in a log.
            throw new InvalidOperationException("Storage content logging must stay off.");
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri ParseUri(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new FormatException($"{key} must be an absolute http(s) URI.");

    private static long ParsePositive(string key, string value, long max) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max
            ? n
            : throw new FormatException($"{key} must be a whole number between 1 and {max}.");
}
