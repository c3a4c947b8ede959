namespace CloudArchive.Azure.Storage;

/// <summary>
/// Refuses credentials over plain HTTP. A Shared Key signature or a SAS sent over <c>http://</c> can be read (a SAS
/// replayed at will, a signature replayed for its request) by anyone on the path. Plain HTTP is allowed only where
/// nothing secret travels or nothing leaves the machine: loopback addresses and <c>localhost</c>, and Azurite's
/// published development account (<c>devstoreaccount1</c> with its documented key) on any host, e.g. an Azurite
/// container reached as <c>http://azurite:10000</c>.
/// </summary>
public static class StorageTransportSecurity
{
    /// <summary>Whether <paramref name="endpoint"/> may carry this connection's credentials.</summary>
    /// <param name="endpoint">A blob or queue endpoint.</param>
    /// <param name="isPublicDevelopmentKey">The credential is Azurite's published account key, which is no secret.</param>
    public static bool IsAllowed(Uri endpoint, bool isPublicDevelopmentKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Scheme == Uri.UriSchemeHttps || isPublicDevelopmentKey || IsThisMachine(endpoint);
    }

    /// <summary>Throws <see cref="InsecureStorageTransportException"/> when any endpoint would carry a secret over plain HTTP to another machine.</summary>
    public static void EnsureSecretsStayEncrypted(StorageCredentialKind kind, bool isPublicDevelopmentKey, params Uri?[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint is not null && !IsAllowed(endpoint, isPublicDevelopmentKey))
            {
                throw new InsecureStorageTransportException(
                    $"The storage endpoint http://{endpoint.Host}:{endpoint.Port} is plain HTTP and not on this machine, so the {Describe(kind)} would travel unencrypted. Use https; plain HTTP is allowed only for loopback and Azurite's development account.");
            }
        }
    }

    private static bool IsThisMachine(Uri endpoint) => endpoint.IsLoopback; // localhost, 127.0.0.0/8 and [::1]

    private static string Describe(StorageCredentialKind kind) => kind switch
    {
        StorageCredentialKind.SharedKey => "Shared Key signature",
        StorageCredentialKind.SharedAccessSignature => "shared access signature",
        _ => "bearer token",
    };
}
