using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>
/// The keyring's legal-hold question answered from both sources: an active hold document (study, or the patient of any
/// instance of the study: documents also cover instances ingested after the hold) and the instances' <c>ca_hold</c>
/// tags (a hold whose document was lost still blocks).
/// </summary>
public sealed class DocumentLegalHoldQuery : ILegalHoldQuery
{
    private const int PageSize = 500;
    private readonly LegalHoldService _holds;
    private readonly IArchiveTagIndex _tags;

    /// <summary>Creates the query.</summary>
    public DocumentLegalHoldQuery(LegalHoldService holds, IArchiveTagIndex tags)
    {
        _holds = holds ?? throw new ArgumentNullException(nameof(holds));
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
    }

    /// <inheritdoc />
    public async Task<bool> IsStudyOnHoldAsync(string studyKey, CancellationToken cancellationToken)
    {
        if (!Audit.OpaqueKey.IsValid(studyKey))
        {
            // Never build a query from an unexpected string; refusing is the safe answer for a shred.
            return true;
        }

        var snapshot = await _holds.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        return await IsHeldAsync(snapshot, studyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="snapshot"/> or a tag holds the study.</summary>
    public async Task<bool> IsHeldAsync(HoldSnapshot snapshot, string studyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.CoversStudy(studyKey) || await _tags.StudyHasHeldInstanceAsync(studyKey, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (!snapshot.HasPatientHolds)
        {
            return false;
        }

        string? token = null;
        do
        {
            var page = await _tags.FindStudyAsync(studyKey, token, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                if (snapshot.Covers(studyKey, LegalHoldService.PatientOf(await _tags.GetTagsAsync(instance.Name, cancellationToken).ConfigureAwait(false))))
                {
                    return true;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return false;
    }

    /// <summary>
    /// The same decision as <see cref="IsHeldAsync"/> from facts a walk over the whole study already read: whether any of
    /// its blobs carries <c>ca_hold</c> = <c>1</c>, and the patients its instances are tagged with.
    /// </summary>
    public static bool IsHeld(HoldSnapshot snapshot, string studyKey, bool anyBlobTaggedHeld, IEnumerable<string> patientPseudonyms)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(patientPseudonyms);
        return anyBlobTaggedHeld || snapshot.CoversStudy(studyKey) || (snapshot.HasPatientHolds && patientPseudonyms.Any(p => snapshot.Covers(studyKey, p)));
    }
}
