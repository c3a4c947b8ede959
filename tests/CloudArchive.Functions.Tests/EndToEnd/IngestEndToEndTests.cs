using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Dicom;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>
/// The ingest path end to end: real composition from configuration, IngestInstance invoked through the local host's
/// invoker and middleware with Event Grid's message text and redelivered after a failure as the host does, Azurite for
/// every container, a local KEK.
/// </summary>
public sealed class IngestEndToEndTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public IngestEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_mixed_batch_ends_with_every_upload_accounted_for_incoming_empty_archive_verified_audited_and_no_phi_in_plaintext()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var uploads = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var expected = new Dictionary<string, IngestOutcome?>(StringComparer.Ordinal);
        async Task Upload(string name, byte[] content, IngestOutcome? outcome)
        {
            uploads[name] = content;
            expected[name] = outcome;
            await app.UploadAsync(name, content);
        }

        // Four multi-instance studies from different encodings; every second instance carries an address and a
        // telephone number that the default minimization policy removes.
        var studies = new (string Sample, int Count)[] { ("CT_small.dcm", 3), ("MR_small.dcm", 2), ("JPEG2000.dcm", 2), ("image_dfl.dcm", 2) };
        var sopUids = new List<(string Name, string Sample, string Study, string Sop, int Patient)>();
        var withAddress = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < studies.Length; s++)
        {
            var studyUid = SampleInstances.NewUid();
            for (var i = 0; i < studies[s].Count; i++)
            {
                var sop = SampleInstances.NewUid();
                var name = $"gateway-1/study-{s}/instance-{i}.dcm";
                if (i % 2 == 1)
                {
                    withAddress.Add(name);
                }

                await Upload(name, await SampleInstances.CopyAsync(studies[s].Sample, studyUid, sop, s, withAddress: withAddress.Contains(name)), IngestOutcome.Archived);
                sopUids.Add((name, studies[s].Sample, studyUid, sop, s));
            }
        }

        var broken = SampleInstances.BrokenSamples.ToDictionary(n => "broken/" + n, n => File.ReadAllBytes(SampleInstances.SamplePath(n)));
        foreach (var (name, content) in broken)
        {
            await Upload(name, content, null); // each has its own reason, checked below
        }

        await Upload("misc/report.pdf", "%PDF-1.4\n% not an image\n"u8.ToArray(), IngestOutcome.Quarantined);
        await Upload("misc/empty.dcm", [], IngestOutcome.Quarantined);

        var results = new Dictionary<string, Handled>(StringComparer.Ordinal);
        foreach (var name in uploads.Keys.ToList())
        {
            results[name] = await app.DeliverAsync(name);
        }

        // Now the re-uploads: identical bytes of an archived instance, and different content under an archived SOP Instance UID.
        var original = sopUids[0];
        await Upload("gateway-2/resend.dcm", uploads[original.Name], IngestOutcome.Duplicate);
        var conflicting = await SampleInstances.CopyAsync(original.Sample, original.Study, original.Sop, original.Patient, withAddress: false, nameSuffix: "X");
        await Upload("gateway-2/conflict.dcm", conflicting, IngestOutcome.Quarantined);
        results["gateway-2/resend.dcm"] = await app.DeliverAsync("gateway-2/resend.dcm");
        var archivedBefore = await app.ReadAllAsync(app.Archive, (await new ArchiveInspector(app).ArchivedInstancesAsync())[results[original.Name].InstanceKey!].BlobName);
        results["gateway-2/conflict.dcm"] = await app.DeliverAsync("gateway-2/conflict.dcm");

        var output = TestContext.Current.TestOutputHelper;
        foreach (var (name, handled) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output?.WriteLine($"{name}: {handled.Outcome} {handled.ReasonCode}");
        }

        // Every upload accounted for, each with the outcome it must have.
        Assert.Equal(uploads.Keys.Order(), results.Keys.Order());
        foreach (var (name, outcome) in expected.Where(e => e.Value is not null))
        {
            Assert.True(outcome == results[name].Outcome, $"{name}: expected {outcome}, got {results[name].Outcome} {results[name].ReasonCode}");
        }

        Assert.Equal("quarantine.not-dicom", results["misc/report.pdf"].ReasonCode);
        Assert.Equal("quarantine.empty", results["misc/empty.dcm"].ReasonCode);
        Assert.Equal("quarantine.conflict", results["gateway-2/conflict.dcm"].ReasonCode);
        Assert.Equal(results[original.Name].InstanceKey, results["gateway-2/resend.dcm"].InstanceKey);
        Assert.Equal(results[original.Name].InstanceKey, results["gateway-2/conflict.dcm"].InstanceKey);
        var brokenExpected = new Dictionary<string, string>
        {
            ["broken/MR_truncated.dcm"] = "quarantine.dicom-format",
            ["broken/rtplan_truncated.dcm"] = "quarantine.dicom-format",
            ["broken/no_meta.dcm"] = "quarantine.not-dicom",
            ["broken/meta_missing_tsyntax.dcm"] = "quarantine.missing-transfer-syntax",
            ["broken/bad_sequence.dcm"] = "quarantine.invalid-uid",
            ["broken/emri_small_jpeg_2k_lossless_too_short.dcm"] = "quarantine.dicom-format",
            // Components such as "083000" have leading zeros (PS3.5 §9.1); the space padding alone would be tolerated.
            ["broken/gdcm_00191113.dcm"] = "quarantine.invalid-uid",
        };
        foreach (var (name, code) in brokenExpected)
        {
            Assert.True(code == results[name].ReasonCode, $"{name}: expected {code}, got {results[name].Outcome} {results[name].ReasonCode}");
        }

        // MediaStorageSOPInstanceUID 1.2.999... but SOPInstanceUID 1.9.999...: the data set says which instance it is, so
        // it is archived with a File Meta rebuilt from it (CloudArchive:Ingest:RepairFileMeta, on by default).
        Assert.Equal(IngestOutcome.Archived, results["broken/badVR.dcm"].Outcome);

        Assert.Empty(await app.ListAsync(app.Incoming));

        // Quarantine: one encrypted copy (decrypting to the upload) plus a reason document per quarantined upload, under opaque ids.
        var quarantined = results.Where(r => r.Value.Outcome == IngestOutcome.Quarantined).Select(r => r.Key).ToList();
        var quarantineNames = (await app.ListAsync(app.Quarantine)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(quarantined.Count * 2, quarantineNames.Count);
        foreach (var name in quarantined)
        {
            var id = results[name].QuarantineId!;
            Assert.Equal(uploads[name], await app.DecryptQuarantineCopyAsync(id));
            Assert.Contains(CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Reason(id), quarantineNames);
            Assert.DoesNotContain(quarantineNames, n => n.Contains(Path.GetFileNameWithoutExtension(name), StringComparison.Ordinal));
        }

        // Archive: exactly the archived uploads, each decrypting to the upload or to its minimized rewrite.
        var inspector = new ArchiveInspector(app);
        var archived = await inspector.ArchivedInstancesAsync();
        var archivedUploads = results.Where(r => r.Value.Outcome == IngestOutcome.Archived).ToList();
        Assert.Equal(archivedUploads.Select(r => r.Value.InstanceKey!).Order(), archived.Keys.Order());
        var minimizedCount = 0;
        var identicalCount = 0;
        foreach (var (name, handled) in archivedUploads)
        {
            var (blobName, studyKey) = archived[handled.InstanceKey!];
            var plain = await inspector.DecryptAsync(blobName);
            var record = await inspector.IndexRecordAsync(studyKey, handled.InstanceKey!);
            Assert.NotNull(record);
            Assert.Equal(uploads[name].Length, record.UploadLength);
            Assert.Equal(plain.Length, record.ArchivedLength);
            var tags = (await app.Archive.GetBlobClient(blobName).GetTagsAsync(cancellationToken: Ct)).Value.Tags;
            Assert.Equal(studyKey, tags["ca_study"]);
            Assert.Equal("0", tags["ca_hold"]);
            Assert.Equal(CloudArchive.Core.Retention.RetainUntilTag.ToTag(record.RetainUntil), tags["ca_retain_until"]);
            Assert.Equal(record.PatientPseudonym, tags["ca_patient"]);
            Assert.Equal(withAddress.Contains(name), record.RemovedPaths.Contains("(0010,1040)"));
            Assert.Equal(withAddress.Contains(name), record.RemovedPaths.Contains("(0010,2154)"));
            if (record.RemovedPaths.Count == 0 && record.MetaRepairs is null)
            {
                Assert.Equal(uploads[name], plain);
                identicalCount++;
                continue;
            }

            minimizedCount++;
            await using var before = await DicomFile.ReadAsync(new MemoryStream(uploads[name]), cancellationToken: Ct);
            await using var after = await DicomFile.ReadAsync(new MemoryStream(plain), cancellationToken: Ct);
            Assert.Equal(before.TransferSyntax.Uid, after.TransferSyntax.Uid);
            Assert.Equal(ArchiveInspector.PixelData(before.Dataset), ArchiveInspector.PixelData(after.Dataset));
            Assert.False(after.Dataset.Contains(SampleInstances.PatientAddress));
            Assert.False(after.Dataset.Contains(SampleInstances.PatientTelephoneNumbers));
            Assert.Equal(before.Dataset.GetString(SampleInstances.PatientId), after.Dataset.GetString(SampleInstances.PatientId));
        }

        Assert.True(minimizedCount >= withAddress.Count, $"only {minimizedCount} instances were minimized");
        Assert.True(identicalCount >= 3, $"only {identicalCount} instances were archived byte-identical");
        Assert.Equal(archivedBefore, await app.ReadAllAsync(app.Archive, archived[results[original.Name].InstanceKey!].BlobName));

        // Audit: chain intact; exactly one successful 110107 "archived" line per archived instance.
        var report = await inspector.VerifyAuditAsync();
        Assert.True(report.IsIntact, string.Join("\n", report.Findings.Select(f => f.ToString())));
        var lines = await inspector.AuditLinesAsync();
        var archivedLines = lines.Select(l => l.Record.Event)
            .Where(e => e.EventType == AuditEventType.Import && e.Outcome == AuditOutcome.Success && e.Details.Contains("archived"))
            .ToList();
        Assert.Equal(archived.Keys.Order(), archivedLines.Select(e => e.Instance!.Value.Value).Order());
        Assert.Equal(quarantined.Count, lines.Count(l => l.Record.Event.EventType == AuditEventType.Import && l.Record.Event.Outcome == AuditOutcome.MinorFailure));
        Assert.Single(lines, l => l.Record.Event.Details.Contains("duplicate"));

        // No planted value anywhere the archive writes plaintext.
        var leaks = (await inspector.PlaintextSurfacesAsync()).Where(s => s.Text.Contains(SampleInstances.Planted, StringComparison.OrdinalIgnoreCase)).Select(s => s.Where).ToList();
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task A_handler_killed_after_the_archive_write_or_before_the_deletion_loses_nothing_and_stores_nothing_twice_on_redelivery()
    {
        await using var app = await IngestApp.StartAsync(_azurite, (services, containers) =>
        {
            services.AddSingleton<IArchiveStore>(new CrashingArchiveStore(new BlobArchiveStore(_azurite.Connection.Blobs.GetBlobContainerClient(containers.Archive), _azurite.Connection.Options)));
            services.AddSingleton<IIncomingStore>(new CrashingIncomingStore(new BlobIncomingStore(_azurite.Connection.Blobs, _azurite.Connection.Options), "b.dcm"));
        });
        var study = SampleInstances.NewUid();
        var first = await SampleInstances.CopyAsync("MR_small.dcm", study, SampleInstances.NewUid(), 1, withAddress: false);
        var second = await SampleInstances.CopyAsync("MR_small.dcm", study, SampleInstances.NewUid(), 1, withAddress: true);
        await app.UploadAsync("a.dcm", first);
        await app.UploadAsync("b.dcm", second);

        // a.dcm: killed right after the archive write (delivery 1), completed on delivery 2.
        var a = await app.DeliverAsync("a.dcm");
        // b.dcm: its archive write (index sealed in) and audit succeed; killed before the upload's deletion; delivery 2
        // finds the blob this very upload produced and completes the ingest.
        var b = await app.DeliverAsync("b.dcm");

        Assert.Equal((IngestOutcome.Archived, "resumed", 1), (a.Outcome, a.ReasonCode, a.FailedDeliveries));
        Assert.Equal((IngestOutcome.Archived, "resumed", 1), (b.Outcome, b.ReasonCode, b.FailedDeliveries));
        Assert.Empty(await app.ListAsync(app.Incoming));
        var inspector = new ArchiveInspector(app);
        var archived = await inspector.ArchivedInstancesAsync();
        Assert.Equal(new[] { a.InstanceKey!, b.InstanceKey! }.Order(), archived.Keys.Order());
        Assert.Equal(first, await inspector.DecryptAsync(archived[a.InstanceKey!].BlobName));
        Assert.Equal(2, (await app.ListAsync(app.Archive, "studies/")).Count);
        Assert.Empty(await app.ListAsync(app.Archive, "index/"));
        Assert.NotNull(await inspector.IndexRecordAsync(archived[b.InstanceKey!].StudyKey, b.InstanceKey!));
        var imports = (await inspector.AuditLinesAsync()).Select(l => l.Record.Event).Where(e => e.EventType == AuditEventType.Import).ToList();
        Assert.Single(imports, e => e.Instance?.Value == a.InstanceKey && (e.Details.Contains("archived") || e.Details.Contains("resumed")));
        Assert.Single(imports, e => e.Instance?.Value == b.InstanceKey && e.Details.Contains("archived"));
        Assert.True((await inspector.VerifyAuditAsync()).IsIntact);
    }

    [Fact]
    public async Task Storage_answering_503_mid_upload_ends_after_retries_with_no_loss_and_no_duplicate()
    {
        string? archiveContainer = null;
        var archiveWrites = 0;
        var transport = new FlakyStorageTransport(request =>
        {
            if (archiveContainer is null || request.Method != global::Azure.Core.RequestMethod.Put || !request.Uri.Path.Contains($"/{archiveContainer}/studies/", StringComparison.Ordinal))
            {
                return FlakyStorageTransport.Fault.None;
            }

            // Write 1 is committed but its response is lost (503) and the client's retry (write 2) is refused: the
            // invocation fails and the re-delivery's create-only write (3, a small instance is not looked up first) is
            // refused by the service with 409, so it finds the committed blob. Writes 4 and 5 (the next instance and
            // the client's retry) are refused: the invocation fails and the re-delivery writes it.
            return Interlocked.Increment(ref archiveWrites) switch
            {
                1 => FlakyStorageTransport.Fault.FailAfterForwarding,
                2 or 4 or 5 => FlakyStorageTransport.Fault.FailBeforeForwarding,
                _ => FlakyStorageTransport.Fault.None,
            };
        });
        var options = new StorageOptions
        {
            ConfigureClient = client =>
            {
                client.Transport = transport;
                client.Retry.MaxRetries = 1;
                client.Retry.Delay = TimeSpan.FromMilliseconds(10);
            },
        };
        await using var app = await IngestApp.StartAsync(_azurite, (services, containers) =>
        {
            archiveContainer = containers.Archive;
            services.AddSingleton(_azurite.CreateConnection(options));
        });
        var study = SampleInstances.NewUid();
        var uploads = new Dictionary<string, byte[]>
        {
            ["x/1.dcm"] = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 2, withAddress: false),
            ["x/2.dcm"] = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 2, withAddress: false),
            ["x/3.dcm"] = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 2, withAddress: true),
        };
        foreach (var (name, content) in uploads)
        {
            await app.UploadAsync(name, content);
        }

        var results = new List<Handled>();
        foreach (var name in uploads.Keys)
        {
            results.Add(await app.DeliverAsync(name));
        }

        Assert.Equal(4, transport.Injected);
        Assert.All(results, r => Assert.Equal(IngestOutcome.Archived, r.Outcome));
        Assert.Equal(("resumed", 1), (results[0].ReasonCode, results[0].FailedDeliveries));
        Assert.Equal((null, 1), (results[1].ReasonCode, results[1].FailedDeliveries));
        Assert.Equal(0, results[2].FailedDeliveries);
        Assert.Empty(await app.ListAsync(app.Incoming));
        var inspector = new ArchiveInspector(app);
        var archived = await inspector.ArchivedInstancesAsync();
        Assert.Equal(results.Select(r => r.InstanceKey!).Order(), archived.Keys.Order());
        Assert.Equal(uploads["x/1.dcm"], await inspector.DecryptAsync(archived[results[0].InstanceKey!].BlobName));
        Assert.Equal(uploads["x/2.dcm"], await inspector.DecryptAsync(archived[results[1].InstanceKey!].BlobName));
        var imports = (await inspector.AuditLinesAsync()).Select(l => l.Record.Event).Where(e => e.EventType == AuditEventType.Import && e.Outcome == AuditOutcome.Success).ToList();
        Assert.Equal(3, imports.Count);
        Assert.Equal(results.Select(r => r.InstanceKey!).Order(), imports.Select(e => e.Instance!.Value.Value).Order());
        Assert.True((await inspector.VerifyAuditAsync()).IsIntact);
    }

    [Fact]
    public async Task Eight_concurrent_invocations_for_one_new_study_create_one_study_key_and_archive_every_instance_once()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var study = SampleInstances.NewUid();
        var names = Enumerable.Range(0, 8).Select(i => $"batch/{i}.dcm").ToList();
        foreach (var name in names)
        {
            await app.UploadAsync(name, await SampleInstances.CopyAsync("MR_small.dcm", study, SampleInstances.NewUid(), 3, withAddress: false));
        }

        // The same event delivered twice concurrently as well: the host may run duplicates side by side.
        var results = await Task.WhenAll(names.Concat([names[0]]).Select(n => app.DeliverAsync(n)));

        Assert.Equal(8, results.Count(r => r.Outcome == IngestOutcome.Archived));
        Assert.Contains(results.Where(r => r.BlobName == names[0]), r => r.Outcome is IngestOutcome.Duplicate or IngestOutcome.AlreadyHandled);
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Single(await app.ListAsync(app.Keyring, "studies/"));
        var inspector = new ArchiveInspector(app);
        Assert.Equal(8, (await inspector.ArchivedInstancesAsync()).Count);
        var lines = await inspector.AuditLinesAsync();
        Assert.Equal(8, lines.Count(l => l.Record.Event.Details.Contains("archived")));
        Assert.DoesNotContain(lines, l => l.Record.Event.Details.Contains("resumed"));
        Assert.True((await inspector.VerifyAuditAsync()).IsIntact);
    }

    [Fact]
    public async Task A_second_different_upload_under_a_quarantined_name_is_kept_beside_the_first_and_a_redelivery_adds_nothing()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        await app.UploadAsync("same.dcm", "first letter"u8.ToArray());
        var first = await app.DeliverAsync("same.dcm");
        await app.UploadAsync("same.dcm", "second letter"u8.ToArray());

        var second = await app.DeliverAsync("same.dcm");
        Assert.Equal(IngestOutcome.AlreadyHandled, (await app.DeliverAsync("same.dcm")).Outcome);

        Assert.Equal(("quarantine.not-dicom", "quarantine.not-dicom"), (first.ReasonCode, second.ReasonCode));
        Assert.NotEqual(first.QuarantineId, second.QuarantineId);
        var names = (await app.ListAsync(app.Quarantine)).Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
        var expected = new[] { first.QuarantineId!, second.QuarantineId! }
            .SelectMany(id => new[] { CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Copy(id), CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Reason(id) })
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, names);
        Assert.Equal("first letter"u8.ToArray(), await app.DecryptQuarantineCopyAsync(first.QuarantineId!));
        Assert.Equal("second letter"u8.ToArray(), await app.DecryptQuarantineCopyAsync(second.QuarantineId!));
    }

    [Fact]
    public async Task An_event_for_an_upload_that_is_gone_is_already_handled()
    {
        await using var app = await IngestApp.StartAsync(_azurite);

        var handled = await app.DeliverAsync("never/uploaded.dcm");

        Assert.Equal(IngestOutcome.AlreadyHandled, handled.Outcome);
        Assert.Empty(await app.ListAsync(app.Audit));
    }
}
