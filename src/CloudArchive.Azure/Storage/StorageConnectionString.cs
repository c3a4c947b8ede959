namespace CloudArchive.Azure.Storage;

/// <summary>
/// A parsed Azure Storage connection string: the account, its key or SAS, and the blob and queue endpoints.
/// Supports account-key strings (<c>DefaultEndpointsProtocol</c>, <c>AccountName</c>, <c>AccountKey</c>,
/// <c>EndpointSuffix</c>), explicit <c>BlobEndpoint</c>/<c>QueueEndpoint</c>, <c>SharedAccessSignature</c>,
/// and <c>UseDevelopmentStorage=true</c> (Azurite on its default ports).
/// </summary>
/// <remarks><see cref="ToString"/> never shows the key or SAS.</remarks>
public sealed class StorageConnectionString
{
    private StorageConnectionString(string? accountName, string? accountKey, string? sas, Uri blobEndpoint, Uri? queueEndpoint, bool isDevelopmentStorage)
    {
        AccountName = accountName;
        AccountKey = accountKey;
        SharedAccessSignature = sas;
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        IsDevelopmentStorage = isDevelopmentStorage;
    }

    /// <summary>The account name (null for a SAS-only string without one).</summary>
    public string? AccountName { get; }

    /// <summary>The base64 account key, or null when the string carries a SAS.</summary>
    public string? AccountKey { get; }

    /// <summary>The SAS query (without a leading <c>?</c>), or null.</summary>
    public string? SharedAccessSignature { get; }

    /// <summary>The blob service endpoint (path-style for Azurite: <c>http://127.0.0.1:10000/devstoreaccount1</c>).</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>The queue service endpoint, or null when the string names none and none can be derived.</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>True for <c>UseDevelopmentStorage=true</c>.</summary>
    public bool IsDevelopmentStorage { get; }

    /// <summary>
    /// True when the key is Azurite's published development key for <c>devstoreaccount1</c>: documented by Microsoft,
    /// so it protects nothing and may travel over plain HTTP to an Azurite on another host.
    /// </summary>
    public bool IsPublicDevelopmentKey =>
        string.Equals(AccountName, StorageApi.DevelopmentAccountName, StringComparison.Ordinal)
        && string.Equals(AccountKey, StorageApi.DevelopmentAccountKey, StringComparison.Ordinal);

    /// <summary>Parses a connection string; throws <see cref="FormatException"/> that never echoes secrets.</summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException("Storage connection string has a segment that is not 'Name=Value'.");
            }

            var name = segment[..eq].Trim();
            if (!parts.TryAdd(name, segment[(eq + 1)..].Trim()))
            {
                throw new FormatException($"Storage connection string names '{name}' twice.");
            }
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            return new StorageConnectionString(
                StorageApi.DevelopmentAccountName,
                StorageApi.DevelopmentAccountKey,
                null,
                new Uri("http://127.0.0.1:10000/" + StorageApi.DevelopmentAccountName),
                new Uri("http://127.0.0.1:10001/" + StorageApi.DevelopmentAccountName),
                isDevelopmentStorage: true);
        }

        parts.TryGetValue("AccountName", out var accountName);
        parts.TryGetValue("AccountKey", out var accountKey);
        parts.TryGetValue("SharedAccessSignature", out var sas);
        accountName = string.IsNullOrEmpty(accountName) ? null : accountName;
        accountKey = string.IsNullOrEmpty(accountKey) ? null : accountKey;
        sas = string.IsNullOrEmpty(sas) ? null : sas.TrimStart('?');

        if (accountKey is null && sas is null)
        {
            throw new FormatException("Storage connection string has neither AccountKey nor SharedAccessSignature (use ServiceUri with Entra ID instead).");
        }

        if (accountKey is not null && sas is not null)
        {
            throw new FormatException("Storage connection string has both AccountKey and SharedAccessSignature.");
        }

        if (accountKey is not null)
        {
            if (accountName is null)
            {
                throw new FormatException("Storage connection string has an AccountKey but no AccountName.");
            }

            if (!IsBase64(accountKey))
            {
                throw new FormatException("Storage connection string's AccountKey is not valid base64.");
            }
        }

        var blob = EndpointOrNull(parts, "BlobEndpoint");
        var queue = EndpointOrNull(parts, "QueueEndpoint");
        if (blob is null && accountName is null)
        {
            throw new FormatException("Storage connection string needs AccountName or BlobEndpoint.");
        }

        if (accountName is not null && (blob is null || queue is null))
        {
            parts.TryGetValue("DefaultEndpointsProtocol", out var protocol);
            protocol = string.IsNullOrEmpty(protocol) ? "https" : protocol.ToLowerInvariant();
            if (protocol is not ("https" or "http"))
            {
                throw new FormatException("Storage connection string's DefaultEndpointsProtocol must be https or http.");
            }

            parts.TryGetValue("EndpointSuffix", out var suffix);
            suffix = string.IsNullOrEmpty(suffix) ? "core.windows.net" : suffix;

            // With an explicit BlobEndpoint (Azurite, custom domains) a queue endpoint is never guessed.
            queue ??= blob is null ? new Uri($"{protocol}://{accountName}.queue.{suffix}") : null;
            blob ??= new Uri($"{protocol}://{accountName}.blob.{suffix}");
        }

        return new StorageConnectionString(accountName ?? AccountFromEndpoint(blob!), accountKey, sas, blob!, queue, isDevelopmentStorage: false);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Account={AccountName ?? "(none)"}; Blob={BlobEndpoint}; Queue={QueueEndpoint?.ToString() ?? "(none)"}; Auth={(AccountKey is not null ? "SharedKey" : "SAS")}";

    private static Uri? EndpointOrNull(Dictionary<string, string> parts, string name)
    {
        if (!parts.TryGetValue(name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new FormatException($"Storage connection string's {name} is not an absolute http(s) URI.");
    }

    /// <summary>Path-style endpoints (Azurite, IP hosts) carry the account as the first path segment.</summary>
    private static string? AccountFromEndpoint(Uri endpoint)
    {
        var segments = endpoint.AbsolutePath.Trim('/');
        if (segments.Length > 0)
        {
            return segments.Split('/')[0];
        }

        var host = endpoint.Host;
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? host[..dot] : null;
    }

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        return value.Length <= 340 && Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
