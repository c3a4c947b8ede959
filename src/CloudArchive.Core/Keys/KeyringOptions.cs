namespace CloudArchive.Core.Keys;

/// <summary>Keyring tuning.</summary>
public sealed class KeyringOptions
{
    /// <summary>Maximum number of unwrapped study keys held in memory (least recently used are evicted and zeroed).</summary>
    public int CacheCapacity { get; init; } = 1024;

    /// <summary>How long an unwrapped key stays cached (Key Vault calls); a shred elsewhere takes effect at once anyway, because every use reads the tombstone first.</summary>
    public TimeSpan CacheTimeToLive { get; init; } = TimeSpan.FromMinutes(10);
}
