namespace CloudArchive.Azure.Storage;

/// <summary>How a <see cref="StorageConnection"/> authorizes its requests.</summary>
public enum StorageCredentialKind
{
    /// <summary>The account key (Shared Key signatures): a secret that must only travel over TLS.</summary>
    SharedKey,

    /// <summary>A shared access signature in the query string: a secret that must only travel over TLS.</summary>
    SharedAccessSignature,

    /// <summary>Entra ID bearer tokens (<c>DefaultAzureCredential</c>, a managed identity).</summary>
    EntraId,
}
