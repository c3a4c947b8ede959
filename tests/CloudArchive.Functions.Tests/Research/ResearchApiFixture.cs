using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Identity;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.Export;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>
/// Azurite with a <c>control</c> container holding agreements (real <see cref="BlobAgreementStore"/>), a
/// <c>research</c> container holding real DICOM sample files under WADO-RS-style names (real
/// <see cref="BlobResearchStore"/>), an audit container, and the app on a loopback port as the local host serves it
/// (<see cref="LocalHostApp.Build"/>, triggers off), with the clock, audit writer and stores registered before the
/// composition root. Every app trusts the development token issuer over one key directory; requests made with
/// <see cref="Get"/> are signed for the app they go to. Tests act as fresh principals (new object ids) so their audit
/// lines and rate-limit buckets are their own.
/// </summary>
public sealed class ResearchApiFixture : IAsyncLifetime
{
    public const string Agreement = "alpha-study";
    public const string ExpiredAgreement = "old-study";
    public const string ClosedAgreement = "closed-study";
    public const string FutureAgreement = "future-study";
    public const string OtherAgreement = "other-team";

    /// <summary>The recipient group of every agreement except <see cref="OtherAgreement"/>.</summary>
    public static readonly string RecipientGroup = "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11";

    /// <summary>The recipient group of <see cref="OtherAgreement"/>.</summary>
    public static readonly string OtherGroup = "0a4e8b52-3c1f-4d7e-8f60-9b2d5e7c4a33";

    /// <summary>Studies of <see cref="Agreement"/>: study → series → (instance, sample file).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<(string Instance, string File)>>> Layout = BuildLayout();

    private readonly AzuriteFixture _azurite = new();
    private readonly string _keyDirectory = TestArchiveSettings.NewKeyDirectory();
    private WebApplication? _app;

    public MutableClock Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public StorageConnection Connection => _azurite.Connection;

    public string AzuriteConnectionString => _azurite.ConnectionString;

    public string ControlContainer { get; } = AzuriteFixture.UniqueName("control");

    public string ResearchContainer { get; } = AzuriteFixture.UniqueName("research");

    public string AuditContainer { get; } = AzuriteFixture.UniqueName("audit");

    public BlobResearchStore ResearchStore => new(Connection.Blobs.GetBlobContainerClient(ResearchContainer), Connection.Options);

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The shared app.</summary>
    public WebApplication App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public Uri BaseAddress => Client.BaseAddress!;

    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        foreach (var name in new[] { ControlContainer, ResearchContainer, AuditContainer })
        {
            await Connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
        }

        var agreements = new BlobAgreementStore(Connection.Blobs.GetBlobContainerClient(ControlContainer));
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(await agreements.TryCreateAsync(NewAgreement(Agreement, RecipientGroup, new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), created), ct));
        Assert.True(await agreements.TryCreateAsync(NewAgreement(ExpiredAgreement, RecipientGroup, new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), created), ct));
        Assert.True(await agreements.TryCreateAsync(NewAgreement(FutureAgreement, RecipientGroup, new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), created), ct));
        Assert.True(await agreements.TryCreateAsync(NewAgreement(ClosedAgreement, RecipientGroup, new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), created) with
        {
            Status = AgreementStatus.Closed,
            ClosedAt = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
            ClosedBy = "privacy-officer@example.org",
            CloseReason = "study-ended",
        }, ct));
        Assert.True(await agreements.TryCreateAsync(NewAgreement(OtherAgreement, OtherGroup, new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), created), ct));

        var store = ResearchStore;
        foreach (var (study, series) in Layout)
        {
            foreach (var (seriesUid, instances) in series)
            {
                foreach (var (instance, file) in instances)
                {
                    await using var content = File.OpenRead(SamplePath(file));
                    await store.PutAsync(ResearchNames.Instance(Agreement, study, seriesUid, instance), content, "application/dicom", null, ct);
                }
            }
        }

        // Copies under agreements the caller may not use: they must stay unreachable.
        foreach (var agreement in new[] { ExpiredAgreement, ClosedAgreement, OtherAgreement })
        {
            await using var content = File.OpenRead(SamplePath("MR_small.dcm"));
            await store.PutAsync(ResearchNames.Instance(agreement, "2.25.9001", "2.25.9002", "2.25.9003"), content, "application/dicom", null, ct);
        }

        _app = await StartAppAsync(requestsPerMinute: 6000, burst: 1000);
        Client = CreateClient(_app);
        CliSettingsFile = Path.Combine(_keyDirectory, "cli.env");
        await File.WriteAllTextAsync(CliSettingsFile, $"CloudArchive__Auth__DevelopmentIssuerKeyDirectory={DevelopmentIssuerDirectory}{Environment.NewLine}", ct);
    }

    /// <summary>
    /// Starts another app over the same storage (e.g. with tight rate limits); the caller disposes it.
    /// <paramref name="services"/> registers replacements first, so they win over the fixture's and the root's.
    /// </summary>
    public async Task<WebApplication> StartAppAsync(int requestsPerMinute, int burst, Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var containers = LocalHostArchive.UniqueContainers();
        containers["Control"] = ControlContainer;
        containers["Research"] = ResearchContainer;
        containers["Audit"] = AuditContainer;
        var app = LocalHostApp.Build(LocalHostArchive.Args, builder =>
        {
            builder.Logging.ClearProviders();
            var settings = LocalHostArchive.Settings(AzuriteConnectionString, _keyDirectory, containers);
            settings["CloudArchive:Storage:CreateContainers"] = "false"; // the fixture created the three it uses
            settings["CloudArchive:ResearchApi:RequestsPerMinute"] = requestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["CloudArchive:ResearchApi:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(builder.Services);
            var connection = Connection;
            builder.Services.TryAddSingleton(sp => new AuditLogWriter(new BlobAuditLogStore(connection.Blobs.GetBlobContainerClient(AuditContainer)), "research-api-" + Guid.NewGuid().ToString("N")[..8], Clock));
            builder.Services.TryAddSingleton<IAgreementStore>(new BlobAgreementStore(connection.Blobs.GetBlobContainerClient(ControlContainer)));
            builder.Services.TryAddSingleton<IResearchStore>(new BlobResearchStore(connection.Blobs.GetBlobContainerClient(ResearchContainer), connection.Options));
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    /// <summary>A client of <paramref name="app"/> that signs requests made with <see cref="Get"/> with a development token for that app.</summary>
    public static HttpClient CreateClient(WebApplication app)
    {
        var address = LocalHostArchive.Address(app);
        return new HttpClient(new DevelopmentTokenHandler(app.Services.GetRequiredService<DevelopmentTokenIssuer>(), address)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The development token issuer every app of the fixture trusts (one key directory).</summary>
    public DevelopmentTokenIssuer Issuer => App.Services.GetRequiredService<DevelopmentTokenIssuer>();

    /// <summary>The development issuer's key directory (the CLI reads it from its settings).</summary>
    public string DevelopmentIssuerDirectory => TestArchiveSettings.DevelopmentIssuerDirectory(_keyDirectory);

    /// <summary>A settings file for the CLI naming the development issuer's key directory, as dev up's dev.env does.</summary>
    public string CliSettingsFile { get; private set; } = null!;

    /// <summary>A token for the shared app; <paramref name="configure"/> changes the request (expired, other audience, ...).</summary>
    public string Token(string objectId, IReadOnlyList<string>? roles = null, IReadOnlyList<string>? groups = null, Func<DevelopmentTokenRequest, DevelopmentTokenRequest>? configure = null)
    {
        var request = new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(BaseAddress),
            ObjectId = objectId,
            Roles = roles ?? [ArchiveRoles.ResearchRead],
            Groups = groups ?? [RecipientGroup],
        };
        return Issuer.Mint(configure is null ? request : configure(request));
    }

    /// <summary>A GET made as <paramref name="objectId"/> with <paramref name="groups"/> and the Research.Read role (signed by the client), or anonymous.</summary>
    public static HttpRequestMessage Get(string path, string? objectId, params string[] groups)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (objectId is not null)
        {
            request.Options.Set(TestCaller.Key, new TestCaller(objectId, groups));
        }

        return request;
    }

    /// <summary>A GET made as <paramref name="objectId"/> with exactly <paramref name="roles"/>.</summary>
    public static HttpRequestMessage GetWithRoles(string path, string objectId, IReadOnlyList<string> roles, params string[] groups)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Options.Set(TestCaller.Key, new TestCaller(objectId, groups, roles));
        return request;
    }

    /// <summary>A GET as a recipient of <see cref="Agreement"/> (fresh object id unless given).</summary>
    public static HttpRequestMessage AsRecipient(string path, string objectId) => Get(path, objectId, RecipientGroup);

    public async Task<List<AuditRecord>> AuditOfAsync(string objectId)
    {
        var query = new AuditLogQuery(new BlobAuditLogStore(Connection.Blobs.GetBlobContainerClient(AuditContainer)));
        var records = new List<AuditRecord>();
        await foreach (var entry in query.QueryAsync(new AuditQueryFilter { Actor = objectId }, TestContext.Current.CancellationToken))
        {
            records.Add(entry.Record);
        }

        return records;
    }

    /// <summary>Every audit line the fixture's apps have written so far, whoever the actor.</summary>
    public async Task<int> AuditLineCountAsync()
    {
        var query = new AuditLogQuery(new BlobAuditLogStore(Connection.Blobs.GetBlobContainerClient(AuditContainer)));
        var count = 0;
        await foreach (var _ in query.QueryAsync(new AuditQueryFilter(), TestContext.Current.CancellationToken))
        {
            count++;
        }

        return count;
    }

    public async Task<byte[]> BlobBytesAsync(string name)
    {
        await using var blob = await ResearchStore.OpenReadAsync(name, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("no such blob");
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    public static string SamplePath(string file) => Path.Combine(RepositoryPaths.FindRoot(), "testdata", "dicom", file);

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        TestArchiveSettings.DeleteDirectory(_keyDirectory);
    }

    private static DataSharingAgreement NewAgreement(string id, string recipient, DateTimeOffset from, DateTimeOffset until, DateTimeOffset created) => new()
    {
        Id = id,
        Title = "Test agreement " + id,
        PurposeOfUse = "HRESCH",
        Recipients = [recipient],
        ValidFrom = from,
        ValidUntil = until,
        CopyRetention = "P2Y",
        CreatedAt = created,
        CreatedBy = "privacy-officer@example.org",
        ConsentRequired = false,
    };

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<(string, string)>>> BuildLayout()
    {
        // Study 2.25.1003 has more files than ResearchFetcher.ArchiveThreshold, so `research fetch` takes the ZIP path for it.
        string[] many = ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "CT_small.dcm", "JPEG2000.dcm", "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm", "SC_rgb_jpeg_dcmtk.dcm", "image_dfl.dcm", "test-SR.dcm"];
        return new()
        {
            ["2.25.1001"] = new Dictionary<string, IReadOnlyList<(string, string)>>
            {
                ["2.25.2001"] = [("2.25.3001", "MR_small.dcm"), ("2.25.3002", "MR_small_implicit.dcm")],
                ["2.25.2002"] = [("2.25.3003", "CT_small.dcm")],
            },
            ["2.25.1002"] = new Dictionary<string, IReadOnlyList<(string, string)>>
            {
                ["2.25.2003"] = [("2.25.3004", "JPEG2000.dcm")],
            },
            ["2.25.1003"] = new Dictionary<string, IReadOnlyList<(string, string)>>
            {
                ["2.25.2004"] = many.Select((f, i) => ("2.25." + (4001 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), f)).ToList(),
            },
        };
    }
}
