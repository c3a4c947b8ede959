using Azure;
using Azure.Core;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Conditions a write or read must meet, checked by the service atomically: <c>If-Match</c>,
/// <c>If-None-Match</c> (<see cref="ETag.All"/> = create only), the lease held, and a tag predicate.
/// A failed condition is a <see cref="StorageRequestException"/> with status 412 (or 409 for create-only
/// on an existing blob).
/// </summary>
public sealed class BlobRequestConditions
{
    /// <summary>Conditions that make a write succeed only if the blob does not exist yet.</summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };

    /// <summary>Succeed only if the blob's current ETag equals this one.</summary>
    public ETag? IfMatch { get; init; }

    /// <summary>Succeed only if the blob's ETag differs from this one (<see cref="ETag.All"/>: only if absent).</summary>
    public ETag? IfNoneMatch { get; init; }

    /// <summary>The lease id to present; required for writes while the blob is leased.</summary>
    public string? LeaseId { get; init; }

    /// <summary>A tag predicate (<c>x-ms-if-tags</c>), e.g. <c>"ca_hold" = '0'</c>.</summary>
    public string? IfTags { get; init; }

    internal static void Apply(BlobRequestConditions? conditions, Request request, bool allowLease = true)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        if (allowLease && conditions.LeaseId is { } leaseId)
        {
            request.Headers.SetValue("x-ms-lease-id", leaseId);
        }

        if (conditions.IfTags is { } ifTags)
        {
            request.Headers.SetValue("x-ms-if-tags", ifTags);
        }
    }
}
