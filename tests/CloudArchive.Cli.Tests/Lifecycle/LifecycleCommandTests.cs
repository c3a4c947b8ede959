using System.Text.Json;
using Azure.Storage.Blobs.Models;
using CloudArchive.Cli.Tests.Operations;
using CloudArchive.Core.Archive;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Lifecycle;

/// <summary>
/// <c>retention plan|run</c>, <c>holds place|release|list</c> and <c>erasure request</c> against an archive on Azurite
/// (unique containers; instances seeded as archive blobs with their index tags).
/// </summary>
public sealed class LifecycleCommandTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-life-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly Dictionary<string, string> _containers = new(StringComparer.Ordinal);

    public LifecycleCommandTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        var root = RepositoryPaths.FindRoot();
        var lines = new List<string>
        {
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Policies__RetentionFiles=" + Path.Combine(root, "data/policies/retention/default.json"),
            "CloudArchive__Policies__MinimizationFile=" + Path.Combine(root, "data/policies/minimization/default.json"),
        };
        foreach (var role in new[] { "Incoming", "Archive", "Quarantine", "Keyring", "Audit", "Control", "Research" })
        {
            _containers[role] = AzuriteFixture.UniqueName(role.ToLowerInvariant()[..2]);
            lines.Add($"CloudArchive__Containers__{role}={_containers[role]}");
            azurite.Connection.Blobs.GetBlobContainerClient(_containers[role]).CreateIfNotExists();
        }

        File.WriteAllLines(_settings, lines);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Plan_lists_without_acting_and_run_deletes_what_the_plan_showed()
    {
        var partial = NewKey();
        var expired = await SeedAsync(partial, NewKey(), "2020-01-31");
        var kept = await SeedAsync(partial, NewKey(), "2099-12-31");

        var plan = await OperationsCli.RunAsync("retention", "plan", "--as-of", "2026-12-06", "--json", "--settings", _settings);

        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        var items = JsonDocument.Parse(plan.Output).RootElement.GetProperty("items");
        var item = Assert.Single(items.EnumerateArray());
        Assert.Equal("delete-instance", item.GetProperty("action").GetString());
        Assert.Equal("2020-01-31", item.GetProperty("retainUntil").GetString());
        Assert.True(await ExistsAsync(expired));

        var future = await OperationsCli.RunAsync("retention", "run", "--as-of", "2999-01-01", "--settings", _settings);
        Assert.Equal(2, future.ExitCode);
        Assert.True(await ExistsAsync(expired));

        var run = await OperationsCli.RunAsync("retention", "run", "--json", "--settings", _settings);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal(1, JsonDocument.Parse(run.Output).RootElement.GetProperty("instancesDeleted").GetInt32());
        Assert.False(await ExistsAsync(expired));
        Assert.True(await ExistsAsync(kept));
    }

    [Fact]
    public async Task A_hold_placed_by_patient_id_blocks_shred_and_erasure_until_released_with_a_reason()
    {
        var study = NewKey();
        var patientId = "PLANTEDCLI1";
        var placed = await OperationsCli.RunAsync("holds", "place", "--patient-id", patientId, "--case", "CASE-42", "--reason", "Subpoena of 2026-11-30", "--json", "--settings", _settings);
        Assert.True(placed.ExitCode == 0, placed.Output + placed.Error);
        var hold = JsonDocument.Parse(placed.Output).RootElement;
        var pseudonym = hold.GetProperty("target").GetString()!;
        Assert.DoesNotContain(patientId, placed.Output, StringComparison.Ordinal);
        await SeedAsync(study, NewKey(), "2020-01-31", pseudonym);

        var shred = await OperationsCli.RunAsync("keys", "shred", "--study", study, "--yes", "--settings", _settings);
        Assert.Equal(4, shred.ExitCode);
        var erasure = await OperationsCli.RunAsync("erasure", "request", "--patient-id", patientId, "--basis", "Art. 17 letter", "--json", "--settings", _settings);
        Assert.Equal(4, erasure.ExitCode);
        Assert.Equal("refused-legal-hold", JsonDocument.Parse(erasure.Output).RootElement.GetProperty("studies")[0].GetProperty("decision").GetString());

        var list = await OperationsCli.RunAsync("holds", "list", "--json", "--settings", _settings);
        Assert.Equal(hold.GetProperty("id").GetString(), JsonDocument.Parse(list.Output).RootElement.GetProperty("holds")[0].GetProperty("id").GetString());
        var noReason = await OperationsCli.RunAsync("holds", "release", "--hold", hold.GetProperty("id").GetString()!, "--settings", _settings);
        Assert.Equal(2, noReason.ExitCode);
        var released = await OperationsCli.RunAsync("holds", "release", "--patient-id", patientId, "--case", "CASE-42", "--reason", "Case closed", "--settings", _settings);
        Assert.True(released.ExitCode == 0, released.Output + released.Error);

        var dryRun = await OperationsCli.RunAsync("erasure", "request", "--patient-id", patientId, "--basis", "Art. 17 letter", "--dry-run", "--settings", _settings);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("Dry run", dryRun.Output, StringComparison.Ordinal);
        var erased = await OperationsCli.RunAsync("erasure", "request", "--patient-id", patientId, "--basis", "Art. 17 letter", "--settings", _settings);
        Assert.True(erased.ExitCode == 0, erased.Output + erased.Error);
        Assert.DoesNotContain(patientId, erased.Output + erased.Error, StringComparison.Ordinal);
        var left = new List<string>();
        await foreach (var blob in Container("Archive").GetBlobsAsync(new GetBlobsOptions { Prefix = "studies/" + study }, Ct))
        {
            left.Add(blob.Name);
        }

        Assert.Empty(left);
        var none = await OperationsCli.RunAsync("holds", "release", "--hold", "hold-20260101-00000000", "--reason", "x", "--settings", _settings);
        Assert.Equal(4, none.ExitCode);
    }

    private global::Azure.Storage.Blobs.BlobContainerClient Container(string role) => _azurite.Connection.Blobs.GetBlobContainerClient(_containers[role]);

    private async Task<string> SeedAsync(string study, string instance, string retainUntil, string? patient = null)
    {
        var name = ArchiveNames.Instance(study, instance);
        await Container("Archive").GetBlobClient(name).UploadAsync(BinaryData.FromString("ciphertext"), new BlobUploadOptions
        {
            Tags = new Dictionary<string, string>
            {
                [ArchiveMetadata.StudyTag] = study,
                [ArchiveMetadata.PatientTag] = patient ?? NewKey(),
                [ArchiveMetadata.RetainUntilTag] = retainUntil,
                [ArchiveMetadata.HoldTag] = "0",
            },
        }, Ct);
        return name;
    }

    private async Task<bool> ExistsAsync(string name) => (await Container("Archive").GetBlobClient(name).ExistsAsync(Ct)).Value;

    private static string NewKey() => new(Enumerable.Range(0, 26).Select(_ => Base32[Random.Shared.Next(32)]).ToArray());
}
