using System.Text;
using Azure.Storage.Blobs.Models;
using CloudArchive.Cli.Tests.Operations;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Research;

/// <summary>
/// <c>agreements</c> and <c>consents</c> against Azurite with a local key-encryption key: each test class instance gets
/// its own keyring, control and audit containers.
/// </summary>
public sealed class ResearchAdminCliTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Recipient = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-research-admin-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly string _control = AzuriteFixture.UniqueName("control");
    private readonly string _audit = AzuriteFixture.UniqueName("audit");
    private readonly string _keyring = AzuriteFixture.UniqueName("kr");

    public ResearchAdminCliTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        File.WriteAllLines(_settings,
        [
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Containers__Keyring=" + _keyring,
            "CloudArchive__Containers__Control=" + _control,
            "CloudArchive__Containers__Audit=" + _audit,
        ]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sample(string name) => Path.Combine(RepositoryPaths.FindRoot(), "data", "research", name);

    public async ValueTask InitializeAsync()
    {
        foreach (var name in new[] { _control, _audit, _keyring })
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: Ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private Task<OperationsCli.Result> Run(params string[] args) => OperationsCli.RunAsync([.. args, "--settings", _settings]);

    private async Task<string> AuditTextAsync()
    {
        var container = _azurite.Connection.Blobs.GetBlobContainerClient(_audit);
        var text = new StringBuilder();
        await foreach (var item in container.GetBlobsAsync(cancellationToken: Ct))
        {
            text.Append((await container.GetBlobClient(item.Name).DownloadContentAsync(Ct)).Value.Content.ToString());
        }

        return text.ToString();
    }

    private async Task<string> ControlTextAsync(string prefix)
    {
        var container = _azurite.Connection.Blobs.GetBlobContainerClient(_control);
        var text = new StringBuilder();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, Ct))
        {
            text.Append(item.Name).Append('\n');
            text.Append((await container.GetBlobClient(item.Name).DownloadContentAsync(Ct)).Value.Content.ToString());
        }

        return text.ToString();
    }

    [Fact]
    public async Task Agreement_lifecycle_create_list_show_close_is_stored_and_audited()
    {
        var create = await Run("agreements", "create", "--id", "chest-ct", "--purpose", "HRESCH", "--recipient", Recipient,
            "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--copy-retention", "P2Y", "--title", "Chest CT",
            "--modality", "CT", "--body-part", "CHEST", "--study-date-from", "2015-01-01", "--options", "retain-longitudinal-modified-dates",
            "--profile", Path.Combine(RepositoryPaths.FindRoot(), "data", "deid", "research-longitudinal.profile.json"));
        Assert.True(create.ExitCode == 0, create.Output + create.Error);
        Assert.Contains("Agreement chest-ct created", create.Output, StringComparison.Ordinal);

        var list = await Run("agreements", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("chest-ct", list.Output, StringComparison.Ordinal);
        Assert.Contains("yes", list.Output, StringComparison.Ordinal);

        var listJson = await Run("agreements", "list", "--json");
        Assert.Equal(0, listJson.ExitCode);
        var listed = System.Text.Json.JsonDocument.Parse(listJson.Output).RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "chest-ct");
        Assert.True(listed.GetProperty("inForce").GetBoolean());
        Assert.Equal("HRESCH", listed.GetProperty("purposeOfUse").GetString());

        var show = await Run("agreements", "show", "chest-ct", "--json");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("\"validUntil\": \"2100-01-01T00:00:00Z\"", show.Output, StringComparison.Ordinal);
        Assert.Contains("\"retainLongitudinalModifiedDates\"", show.Output, StringComparison.Ordinal);
        Assert.Contains("\"profile\": {", show.Output, StringComparison.Ordinal);

        var close = await Run("agreements", "close", "chest-ct", "--reason", "study completed");
        Assert.True(close.ExitCode == 0, close.Output + close.Error);
        var closedShow = await Run("agreements", "show", "chest-ct");
        Assert.Contains("\"status\": \"closed\"", closedShow.Output, StringComparison.Ordinal);
        Assert.Contains("\"closeReason\": \"study completed\"", closedShow.Output, StringComparison.Ordinal);
        var again = await Run("agreements", "close", "chest-ct", "--reason", "x");
        Assert.Equal(4, again.ExitCode);

        var audit = await AuditTextAsync();
        Assert.Contains("agreement-created", audit, StringComparison.Ordinal);
        Assert.Contains("agreement-closed", audit, StringComparison.Ordinal);
        Assert.Contains("chest-ct", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agreement_from_the_sample_file_is_created_once()
    {
        var first = await Run("agreements", "create", "--file", Sample("lung-ct-2026.agreement.json"));
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var second = await Run("agreements", "create", "--file", Sample("lung-ct-2026.agreement.json"));
        Assert.Equal(4, second.ExitCode);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
        var mixed = await Run("agreements", "create", "--file", Sample("lung-ct-2026.agreement.json"), "--id", "other");
        Assert.Equal(2, mixed.ExitCode);
    }

    [Fact]
    public async Task Invalid_agreements_are_refused_with_the_path_and_nothing_is_stored()
    {
        var badRecipient = await Run("agreements", "create", "--id", "bad-one", "--purpose", "HRESCH", "--recipient", "alice@example.org",
            "--valid-from", "2026-01-01", "--valid-until", "2027-01-01", "--copy-retention", "P1Y");
        Assert.Equal(2, badRecipient.ExitCode);
        Assert.Contains("$.recipients[0]", badRecipient.Error, StringComparison.Ordinal);

        var badOption = await Run("agreements", "create", "--id", "bad-two", "--purpose", "HRESCH", "--recipient", Recipient,
            "--valid-from", "2026-01-01", "--valid-until", "2027-01-01", "--copy-retention", "P1Y", "--options", "keepEverything");
        Assert.Equal(2, badOption.ExitCode);

        var missing = await Run("agreements", "create", "--id", "bad-three");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(string.Empty, await ControlTextAsync("agreements/"));

        var unknown = await Run("agreements", "show", "no-such-agreement");
        Assert.Equal(4, unknown.ExitCode);
    }

    [Fact]
    public async Task Consents_import_show_revoke_by_pseudonym_never_echo_patient_ids()
    {
        var import = await Run("consents", "import", "--csv", Sample("consents.example.csv"));
        Assert.True(import.ExitCode == 0, import.Output + import.Error);
        Assert.Contains("imported 4, updated 0, unchanged 0, errors 0", import.Output, StringComparison.Ordinal);

        var again = await Run("consents", "import", "--csv", Sample("consents.example.csv"), "--json");
        var counts = System.Text.Json.JsonDocument.Parse(again.Output).RootElement;
        Assert.Equal(0, counts.GetProperty("imported").GetInt32());
        Assert.Equal(4, counts.GetProperty("unchanged").GetInt32());
        Assert.Empty(counts.GetProperty("errors").EnumerateArray());

        var fhir = await Run("consents", "import", "--fhir", Sample("consents.example.fhir.json"));
        Assert.True(fhir.ExitCode == 0, fhir.Output + fhir.Error);
        Assert.Contains("imported 2", fhir.Output, StringComparison.Ordinal);

        var show = await Run("consents", "show", "--patient-id", "SYN-0002", "--issuer", "SYNTH_HOSP");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("\"status\": \"active\"", show.Output, StringComparison.Ordinal);
        Assert.Contains("\"MR\"", show.Output, StringComparison.Ordinal);

        var revoke = await Run("consents", "revoke", "--patient-id", "SYN-0002", "--issuer", "SYNTH_HOSP", "--reason", "withdrawn", "--json");
        Assert.True(revoke.ExitCode == 0, revoke.Output + revoke.Error);
        var revocation = System.Text.Json.JsonDocument.Parse(revoke.Output).RootElement;
        Assert.Matches("^[a-z2-7]{26}$", revocation.GetProperty("patient").GetString()!);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, revocation.GetProperty("reExportsQueued").ValueKind);
        var revoked = await Run("consents", "show", "--patient-id", "SYN-0002", "--issuer", "SYNTH_HOSP");
        Assert.Contains("\"status\": \"inactive\"", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("\"statusReason\": \"withdrawn\"", revoked.Output, StringComparison.Ordinal);

        var wrongIssuer = await Run("consents", "show", "--patient-id", "SYN-0002");
        Assert.Equal(4, wrongIssuer.ExitCode);
        var unknown = await Run("consents", "revoke", "--patient-id", "SYN-9999");
        Assert.Equal(4, unknown.ExitCode);

        var everything = string.Concat(new[] { import, again, fhir, show, revoke, revoked, wrongIssuer, unknown }.Select(r => r.Output + r.Error));
        Assert.DoesNotContain("SYN-0", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-0", await ControlTextAsync("consents/"), StringComparison.Ordinal);
        var audit = await AuditTextAsync();
        Assert.DoesNotContain("SYN-0", audit, StringComparison.Ordinal);
        Assert.Contains("consent-imported", audit, StringComparison.Ordinal);
        Assert.Contains("consent-revoked", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_with_bad_rows_reports_lines_without_values_and_strict_imports_nothing()
    {
        var csv = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(csv, "patient_id,status,purposes\nGOOD-1,active,HRESCH\nSECRET-2,unknown,HRESCH\nGOOD-3,active,\n", Ct);

        var strict = await Run("consents", "import", "--csv", csv, "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("line 3", strict.Output, StringComparison.Ordinal);
        Assert.Contains("line 4", strict.Output, StringComparison.Ordinal);
        Assert.Contains("--strict", strict.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await ControlTextAsync("consents/"));

        var lenient = await Run("consents", "import", "--csv", csv);
        Assert.Equal(1, lenient.ExitCode);
        Assert.Contains("imported 1, updated 0, unchanged 0, errors 2", lenient.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", lenient.Output + lenient.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("GOOD", lenient.Output + lenient.Error, StringComparison.Ordinal);

        var headerless = Path.Combine(_dir, "headerless.csv");
        await File.WriteAllTextAsync(headerless, "SECRET-9,active,HRESCH\n", Ct);
        var noHeader = await Run("consents", "import", "--csv", headerless);
        Assert.Equal(2, noHeader.ExitCode);
        Assert.DoesNotContain("SECRET", noHeader.Output + noHeader.Error, StringComparison.Ordinal);

        var both = await Run("consents", "import", "--csv", csv, "--fhir", csv);
        Assert.Equal(2, both.ExitCode);
    }
}
