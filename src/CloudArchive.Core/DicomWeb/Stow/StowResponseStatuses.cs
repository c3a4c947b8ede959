namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>Decides the overall <see cref="StowResponseStatus"/> of a request from its parts' results.</summary>
public static class StowResponseStatuses
{
    /// <summary>The overall status; a request with no results stored nothing.</summary>
    public static StowResponseStatus For(IReadOnlyCollection<StowInstanceResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0 || results.All(r => !r.Stored))
        {
            return StowResponseStatus.NoneStored;
        }

        return results.All(r => r.Stored && r.WarningReason is null) ? StowResponseStatus.AllStored : StowResponseStatus.StoredWithWarningsOrFailures;
    }
}
