using CloudArchive.Azure.Composition;
using Microsoft.Extensions.Configuration.Memory;

namespace CloudArchive.Functions.Hosting;

/// <summary>Puts <see cref="ScheduleSettings.Defaults"/> under every other configuration source of the app, so a timer's <c>%Setting%</c> always resolves.</summary>
internal static class ScheduleDefaults
{
    public static void Add(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ScheduleSettings.Defaults.Select(d => new KeyValuePair<string, string?>(d.Key, d.Value)) });
}
