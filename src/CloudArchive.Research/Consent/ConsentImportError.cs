namespace CloudArchive.Research.Consent;

/// <summary>A row or resource that was not imported: where and why, never the values.</summary>
/// <param name="Location">e.g. <c>line 7</c>, <c>entry[3]</c>.</param>
/// <param name="Reason">What is wrong, with the field name.</param>
public sealed record ConsentImportError(string Location, string Reason)
{
    /// <summary>"location: reason".</summary>
    public override string ToString() => $"{Location}: {Reason}";
}
