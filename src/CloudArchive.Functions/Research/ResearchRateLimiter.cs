using System.Threading.RateLimiting;
using CloudArchive.Core.Identity;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Token buckets (<see cref="ResearchApiOptions.Burst"/> requests at once, refilled at
/// <see cref="ResearchApiOptions.RequestsPerMinute"/>), partitioned by something a client cannot choose freely: the
/// validated principal (tenant + object id from a signed token) once authenticated, and the client address (see
/// <see cref="ClientAddressResolver"/>) for requests that carry no token or a token that fails validation. So one
/// researcher cannot starve the others, and inventing identities or tokens gains an attacker no extra budget.
/// </summary>
public sealed class ResearchRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _replenishmentPeriod;

    /// <summary>Creates the limiter.</summary>
    public ResearchRateLimiter(ResearchApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _replenishmentPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerMinute / options.RequestsPerMinute));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _replenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>The partition of an authenticated caller.</summary>
    public static string PrincipalPartition(ArchivePrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return "p:" + principal.TenantId + "/" + principal.ObjectId;
    }

    /// <summary>Takes one request from the partition's bucket; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(partition);
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : _replenishmentPeriod;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
