namespace CloudArchive.Research.Agreements;

/// <summary>Blob names of agreements in the <c>control</c> container.</summary>
public static class AgreementNames
{
    /// <summary>Prefix under which every agreement is stored.</summary>
    public const string Prefix = "agreements/";

    /// <summary><c>agreements/{id}.json</c>.</summary>
    /// <exception cref="ArgumentException">The id is not a valid agreement id.</exception>
    public static string For(string id)
    {
        if (!DataSharingAgreement.IsValidId(id))
        {
            throw new ArgumentException("Not a valid agreement id.", nameof(id));
        }

        return Prefix + id + ".json";
    }

    /// <summary>The agreement id of a blob name under <see cref="Prefix"/>, or null for any other name.</summary>
    public static string? IdOf(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (!blobName.StartsWith(Prefix, StringComparison.Ordinal) || !blobName.EndsWith(".json", StringComparison.Ordinal))
        {
            return null;
        }

        var id = blobName[Prefix.Length..^".json".Length];
        return DataSharingAgreement.IsValidId(id) ? id : null;
    }
}
