namespace CloudArchive.Core.Keys;

/// <summary>Port answering whether a study is under legal hold (held studies must never be shredded).</summary>
public interface ILegalHoldQuery
{
    /// <summary>True when any legal hold covers the study identified by its opaque key.</summary>
    Task<bool> IsStudyOnHoldAsync(string studyKey, CancellationToken cancellationToken);
}
