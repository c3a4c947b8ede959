namespace CloudArchive.Azure.Storage;

/// <summary>Well-known values of Azure Storage that the archive and its tools refer to.</summary>
public static class StorageApi
{
    /// <summary>The Entra ID scope for data-plane access to Blob and Queue Storage.</summary>
    public const string EntraScope = "https://storage.azure.com/.default";

    /// <summary>Azurite's well-known development account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented by Microsoft; not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
}
