using CloudArchive.Azure.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The archive's services composed for one CLI command by the same root the function app uses
/// (<see cref="CloudArchiveServiceCollectionExtensions.AddCloudArchive"/>), from the command's <see cref="ArchiveSettings"/>.
/// Services are built on first use, so a command that only reads the audit log never needs a key provider; disposing
/// the session disposes what it built (the keyring zeroes its cached keys, the audit writer flushes).
/// </summary>
internal sealed class ArchiveServices : IDisposable
{
    private readonly ServiceProvider _provider;

    private ArchiveServices(ServiceProvider provider, CloudArchiveSettings settings)
    {
        _provider = provider;
        Settings = settings;
    }

    /// <summary>The settings as the composition root read them.</summary>
    public CloudArchiveSettings Settings { get; }

    /// <summary>Composes the services for <paramref name="settings"/>.</summary>
    public static ArchiveServices Open(ArchiveSettings settings, Action<IServiceCollection>? replace = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build();
        var services = new ServiceCollection();
        replace?.Invoke(services);
        var read = services.AddCloudArchive(configuration, CloudArchiveHost.Cli(Environment.CurrentDirectory));
        return new ArchiveServices(services.BuildServiceProvider(), read);
    }

    /// <summary>A service; an invalid setting it needs becomes a usage error naming the setting.</summary>
    /// <exception cref="UsageException">The settings the service needs are invalid.</exception>
    public T Get<T>()
        where T : notnull
    {
        try
        {
            return _provider.GetRequiredService<T>();
        }
        catch (ArchiveConfigurationException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    public void Dispose() => _provider.Dispose();
}
