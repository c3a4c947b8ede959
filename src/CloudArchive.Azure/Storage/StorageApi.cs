namespace CloudArchive.Azure.Storage;

/// <summary>Constants of the Azure Storage REST API this client speaks.</summary>
public static class StorageApi
{
    /// <summary>
    /// The one <c>x-ms-version</c> sent on every request. Supported by Azure and by the pinned Azurite 3.35.0
    /// (whose newest is 2025-11-05), so no <c>--skipApiVersionCheck</c> is needed; new enough for 4000 MiB
    /// blocks, 100 MiB append blocks, blob index tags and the immutability APIs.
    /// </summary>
    public const string Version = "2025-05-05";

    /// <summary>The Entra ID scope for data-plane access to Blob and Queue Storage.</summary>
    public const string EntraScope = "https://storage.azure.com/.default";

    /// <summary>Azurite's well-known development account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented by Microsoft; not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
}
