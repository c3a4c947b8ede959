using CloudArchive.Azure.Storage;

namespace CloudArchive.Functions.LocalTriggers;

/// <summary>
/// The storage account the local triggers talk to, built from <c>CloudArchive:Storage:*</c>. Kept separate from
/// any connection the ingest service registers so turning local triggers on changes nothing else in DI.
/// </summary>
internal sealed class LocalTriggerStorage
{
    public LocalTriggerStorage(IConfiguration configuration)
    {
        var options = StorageOptions.FromSettings(key => configuration[key]);
        if (options.ConnectionString is null)
        {
            throw new InvalidOperationException(
                $"{LocalTriggerOptions.Section}:Enabled is true but {StorageOptions.SettingKeys.ConnectionString} is not set; local triggers need an account key or development-storage connection string.");
        }

        Connection = StorageConnection.FromOptions(options);
    }

    public StorageConnection Connection { get; }
}
