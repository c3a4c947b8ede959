using CloudArchive.Azure.Composition;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

public sealed class LifecycleSettingsTests
{
    [Fact]
    public void Unset_keys_take_the_documented_defaults()
    {
        var settings = LifecycleSettings.Read(_ => null);

        Assert.Empty(settings.Problems);
        Assert.Equal(TimeSpan.FromHours(1), settings.Reconcile.StaleAfter);
        Assert.Equal(500, settings.Reconcile.MaxPoisonMessagesPerRun);
        Assert.Equal(TimeSpan.FromDays(90), settings.Fixity.Period);
        Assert.Equal(TimeSpan.FromDays(1), settings.Fixity.RunInterval);
        Assert.Equal(TimeSpan.FromMinutes(20), settings.Fixity.MaxRunDuration);
    }

    [Fact]
    public void Set_keys_are_read_as_invariant_durations_and_counts()
    {
        var values = new Dictionary<string, string>
        {
            [LifecycleSettings.Keys.ReconcileStaleAfter] = "00:30:00",
            [LifecycleSettings.Keys.ReconcileMaxPoisonMessages] = "50",
            [LifecycleSettings.Keys.FixityPeriod] = "30.00:00:00",
            [LifecycleSettings.Keys.FixityRunInterval] = "12:00:00",
        };
        var settings = LifecycleSettings.Read(k => values.GetValueOrDefault(k));

        Assert.Empty(settings.Problems);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.Reconcile.StaleAfter);
        Assert.Equal(50, settings.Reconcile.MaxPoisonMessagesPerRun);
        Assert.Equal(TimeSpan.FromDays(30), settings.Fixity.Period);
        Assert.Equal(TimeSpan.FromHours(12), settings.Fixity.RunInterval);
    }

    [Fact]
    public void Malformed_or_out_of_range_values_are_each_reported_by_key_and_stop_the_service()
    {
        var values = new Dictionary<string, string>
        {
            [LifecycleSettings.Keys.ReconcileStaleAfter] = "soon",
            [LifecycleSettings.Keys.ReconcileMaxPoisonMessages] = "-3",
            [LifecycleSettings.Keys.FixityPeriod] = "00:10:00",
        };
        var settings = LifecycleSettings.Read(k => values.GetValueOrDefault(k));

        Assert.Contains(settings.Problems, p => p.Contains(LifecycleSettings.Keys.ReconcileStaleAfter, StringComparison.Ordinal));
        Assert.Contains(settings.Problems, p => p.Contains(LifecycleSettings.Keys.ReconcileMaxPoisonMessages, StringComparison.Ordinal));
        Assert.Contains(settings.Problems, p => p.Contains(LifecycleSettings.Keys.FixityPeriod, StringComparison.Ordinal));
        var error = Assert.Throws<ArchiveConfigurationException>(settings.ThrowIfInvalid);
        Assert.Equal(settings.Problems, error.Problems);
    }
}
