namespace CloudArchive.Core.Lifecycle.Shred;

/// <summary>
/// Copies derived from a study that live outside the archive (research exports). A complete shred withdraws them
/// through this port, so Core's lifecycle does not know how or where research keeps its copies.
/// </summary>
public interface IDerivedCopies
{
    /// <summary>
    /// Deletes every derived copy of the study and audits each withdrawal. Idempotent: running it again after an
    /// interruption finishes the job.
    /// </summary>
    Task<DerivedCopiesWithdrawn> WithdrawStudyAsync(StudyShredRequest request, CancellationToken cancellationToken);
}
