using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Per-principal token buckets (partitioned by Entra object id): <see cref="ResearchApiOptions.Burst"/> requests at
/// once, refilled at <see cref="ResearchApiOptions.RequestsPerMinute"/>. Requests are counted after authentication, so
/// one researcher cannot starve the others, and an unauthenticated caller cannot spend anyone's budget.
/// </summary>
public sealed class ResearchRateLimiter : IDisposable
{
    private static readonly TimeSpan AuditWindow = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, long> _lastAudited = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _replenishmentPeriod;

    /// <summary>Creates the limiter.</summary>
    public ResearchRateLimiter(ResearchApiOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _replenishmentPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerMinute / options.RequestsPerMinute));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _replenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(objectId => RateLimitPartition.GetTokenBucketLimiter(objectId, _ => bucket));
    }

    /// <summary>Takes one request from the principal's bucket; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        using var lease = _limiter.AttemptAcquire(objectId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : _replenishmentPeriod;
    }

    /// <summary>
    /// Whether a rate-limit denial of <paramref name="objectId"/> should be audited now. At most one line per principal
    /// per minute: a client hammering the API past its limit would otherwise turn every refused request into an audit
    /// line and flood the (append-only, retained) audit log — the one record that must stay readable during an incident.
    /// </summary>
    public bool ShouldAuditDenial(string objectId)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            if (!_lastAudited.TryGetValue(objectId, out var last))
            {
                if (_lastAudited.TryAdd(objectId, now))
                {
                    return true;
                }

                continue;
            }

            if (_time.GetElapsedTime(last, now) < AuditWindow)
            {
                return false;
            }

            if (_lastAudited.TryUpdate(objectId, now, last))
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
