using System.Text;
using System.Text.Json;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Tests.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Keys;

public sealed class KeyringTests : IDisposable
{
    private readonly TestKek _kek = new();
    private readonly InMemoryKeyringStore _store = new();
    private readonly FakeLegalHolds _holds = new();
    private readonly RecordingAuditSink _audit = new();

    public void Dispose() => _kek.Dispose();

    private Keyring NewKeyring(KeyringOptions? options = null, TimeProvider? time = null)
        => new(_store, _kek, _holds, _audit, options, timeProvider: time);

    private static string Fingerprint(SymmetricKeyEncryptionKey key)
        => Convert.ToBase64String(key.WrapKey("A256KW", new byte[32]));

    [Fact]
    public async Task A_new_study_key_is_stored_wrapped_with_the_versioned_kek_id_and_never_in_clear()
    {
        using var keyring = NewKeyring();
        using var key = await keyring.GetOrCreateStudyKeyAsync("study0000000000000000000001", TestContext.Current.CancellationToken);
        Assert.Equal("urn:cloudarchive:study:study0000000000000000000001", key.KeyId);
        var doc = await _store.GetAsync("studies/study0000000000000000000001.json", TestContext.Current.CancellationToken);
        Assert.NotNull(doc);
        using var json = JsonDocument.Parse(doc.Content);
        var current = await _kek.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        Assert.Equal(current.KeyId, json.RootElement.GetProperty("kid").GetString());
        Assert.EndsWith("/1", current.KeyId, StringComparison.Ordinal);
        Assert.Equal("RSA-OAEP-256", json.RootElement.GetProperty("alg").GetString());
        Assert.Equal("study", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(256, Convert.FromBase64String(json.RootElement.GetProperty("wrappedKey").GetString()!).Length);
        Assert.Contains(_audit.Events, e => e.Action == KeyAuditAction.StudyKeyCreated && e.StudyKey == "study0000000000000000000001" && e.KekKeyId == current.KeyId);
    }

    [Fact]
    public async Task The_same_study_key_is_returned_and_cached_so_the_kek_is_called_once_per_study()
    {
        using var keyring = NewKeyring();
        using var a = await keyring.GetOrCreateStudyKeyAsync("s1", TestContext.Current.CancellationToken);
        using var b = await keyring.GetOrCreateStudyKeyAsync("s1", TestContext.Current.CancellationToken);
        using var c = await keyring.GetStudyKeyAsync("s1", TestContext.Current.CancellationToken);
        Assert.Equal(Fingerprint(a), Fingerprint(b));
        Assert.Equal(Fingerprint(a), Fingerprint(c));
        Assert.Equal(1, _kek.Wraps);
        Assert.Equal(0, _kek.Unwraps);
        Assert.Equal(1, _store.Creates);
    }

    [Fact]
    public async Task Sixteen_concurrent_creators_in_separate_processes_create_exactly_one_key()
    {
        var keyrings = Enumerable.Range(0, 16).Select(_ => NewKeyring()).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var tasks = keyrings.Select(k => Task.Run(async () =>
            {
                start.Wait(TestContext.Current.CancellationToken);
                using var key = await k.GetOrCreateStudyKeyAsync("racedstudy", TestContext.Current.CancellationToken);
                return Fingerprint(key);
            })).ToList();
            start.Set();
            var prints = await Task.WhenAll(tasks);
            Assert.Single(prints.Distinct());
            Assert.Equal(1, _store.Creates);
            Assert.Single(_audit.Events, e => e.Action == KeyAuditAction.StudyKeyCreated);
        }
        finally
        {
            keyrings.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public async Task Cached_keys_expire_after_the_ttl_and_the_cache_is_bounded()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var writer = NewKeyring();
        foreach (var s in new[] { "a", "b", "c" })
        {
            (await writer.GetOrCreateStudyKeyAsync(s, TestContext.Current.CancellationToken)).Dispose();
        }

        using var keyring = NewKeyring(new KeyringOptions { CacheCapacity = 2, CacheTimeToLive = TimeSpan.FromMinutes(5) }, time);
        (await keyring.GetStudyKeyAsync("a", TestContext.Current.CancellationToken)).Dispose();
        (await keyring.GetStudyKeyAsync("a", TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(1, _kek.Unwraps);
        time.Advance(TimeSpan.FromMinutes(6));
        (await keyring.GetStudyKeyAsync("a", TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(2, _kek.Unwraps);
        (await keyring.GetStudyKeyAsync("b", TestContext.Current.CancellationToken)).Dispose();
        (await keyring.GetStudyKeyAsync("c", TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(2, keyring.CachedKeyCount);
        (await keyring.GetStudyKeyAsync("a", TestContext.Current.CancellationToken)).Dispose();
        Assert.Equal(5, _kek.Unwraps);
    }

    [Fact]
    public async Task Encrypted_instances_decrypt_through_the_study_key_resolver()
    {
        using var keyring = NewKeyring();
        using var key = await keyring.GetOrCreateStudyKeyAsync("s1", TestContext.Current.CancellationToken);
        var plain = TestKeys.Data(1000);
        var (blob, md) = await Cse.EncryptAsync(plain, key, 256);
        using var reader = NewKeyring();
        Assert.Equal(plain, await Cse.DecryptAsync(blob, md, reader.StudyKeyResolver));
    }

    [Fact]
    public async Task Rotation_then_rewrap_then_decrypt_works_even_after_the_old_kek_version_is_gone()
    {
        var studies = Enumerable.Range(0, 25).Select(i => $"study{i:D2}").ToList();
        var blobs = new List<(string Study, byte[] Plain, byte[] Blob, IReadOnlyDictionary<string, string> Md)>();
        using (var keyring = NewKeyring())
        {
            foreach (var s in studies)
            {
                using var key = await keyring.GetOrCreateStudyKeyAsync(s, TestContext.Current.CancellationToken);
                var plain = TestKeys.Data(300, s.GetHashCode(StringComparison.Ordinal));
                var (blob, md) = await Cse.EncryptAsync(plain, key, 128);
                blobs.Add((s, plain, blob, md));
            }

            (await keyring.GetIndexKeyNamerAsync(TestContext.Current.CancellationToken)).Dispose();
        }

        var v1 = (await _kek.GetCurrentKeyAsync(TestContext.Current.CancellationToken)).KeyId;
        var v2 = (await _kek.Local.RotateAsync(TestContext.Current.CancellationToken)).KeyId;
        var progress = new List<RewrapProgress>();
        using (var admin = NewKeyring())
        {
            var result = await admin.RewrapAsync(new RewrapOptions { PageSize = 10, Progress = new SyncProgress<RewrapProgress>(progress.Add), Actor = "ops" }, TestContext.Current.CancellationToken);
            Assert.True(result.Complete);
            Assert.Equal(v2, result.CurrentKekKeyId);
            Assert.Equal(26, result.Totals.Rewrapped);
            Assert.Equal(26, progress.Count);
            var again = await admin.RewrapAsync(new RewrapOptions { PageSize = 7 }, TestContext.Current.CancellationToken);
            Assert.Equal(0, again.Totals.Rewrapped);
            Assert.Equal(26, again.Totals.AlreadyCurrent);
        }

        File.Delete(Path.Combine(_kek.Directory, "v1.pem"));
        using var fresh = new TestKek(_kek.Directory);
        using var reader = new Keyring(_store, fresh, _holds, _audit);
        foreach (var (_, plain, blob, md) in blobs)
        {
            Assert.Equal(plain, await Cse.DecryptAsync(blob, md, reader.StudyKeyResolver));
        }

        Assert.DoesNotContain(v1, Encoding.UTF8.GetString((await _store.GetAsync("studies/study00.json", TestContext.Current.CancellationToken))!.Content), StringComparison.Ordinal);
        Assert.Contains(_audit.Events, e => e.Action == KeyAuditAction.KeysRewrapped && e.Count == 26 && e.Actor == "ops");
    }

    [Fact]
    public async Task Without_rewrap_a_rotated_away_kek_version_makes_decryption_fail_closed()
    {
        using var keyring = NewKeyring();
        using var key = await keyring.GetOrCreateStudyKeyAsync("s1", TestContext.Current.CancellationToken);
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(100), key, 64);
        await _kek.Local.RotateAsync(TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(_kek.Directory, "v1.pem"));
        using var fresh = new TestKek(_kek.Directory);
        using var reader = new Keyring(_store, fresh, _holds, _audit);
        var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(blob, md, reader.StudyKeyResolver));
        Assert.Equal(EnvelopeFailureReason.KeyNotFound, ex.Reason);
    }

    [Fact]
    public async Task Rewrap_is_resumable_page_by_page()
    {
        using var keyring = NewKeyring();
        for (int i = 0; i < 12; i++)
        {
            (await keyring.GetOrCreateStudyKeyAsync($"s{i:D2}", TestContext.Current.CancellationToken)).Dispose();
        }

        await _kek.Local.RotateAsync(TestContext.Current.CancellationToken);
        var first = await keyring.RewrapAsync(new RewrapOptions { PageSize = 5, MaxPages = 1 }, TestContext.Current.CancellationToken);
        Assert.NotNull(first.ContinuationToken);
        Assert.False(first.Complete);
        Assert.Equal(5, first.Totals.Rewrapped);
        var rest = await keyring.RewrapAsync(new RewrapOptions { PageSize = 5, ContinuationToken = first.ContinuationToken }, TestContext.Current.CancellationToken);
        Assert.True(rest.Complete);
        Assert.Equal(7, rest.Totals.Rewrapped);
        Assert.Equal(0, rest.Totals.AlreadyCurrent);
    }

    [Fact]
    public async Task Rewrap_reports_entries_it_cannot_unwrap_and_continues()
    {
        using var keyring = NewKeyring();
        (await keyring.GetOrCreateStudyKeyAsync("good", TestContext.Current.CancellationToken)).Dispose();
        _store.Put("studies/broken.json", "{\"schema\":1,\"kind\":\"study\",\"kid\":\"local:0000000000000000/1\",\"alg\":\"RSA-OAEP-256\",\"wrappedKey\":\"AAAA\",\"created\":\"2026-01-01T00:00:00Z\"}"u8.ToArray());
        _store.Put("studies/garbage.json", "nope"u8.ToArray());
        await _kek.Local.RotateAsync(TestContext.Current.CancellationToken);
        var result = await keyring.RewrapAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, result.Totals.Rewrapped);
        Assert.False(result.Complete);
        Assert.Equal(["studies/broken.json", "studies/garbage.json"], result.FailedEntries.Select(f => f.Entry).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(result.FailedEntries, f => f.Reason == nameof(KeyringFailureReason.UnwrapFailed));
        Assert.Contains(result.FailedEntries, f => f.Reason == nameof(KeyringFailureReason.CorruptEntry));
    }

    [Fact]
    public async Task After_shredding_every_instance_of_the_study_fails_with_key_destroyed_and_other_studies_are_unaffected()
    {
        using var keyring = NewKeyring();
        var instances = new List<(string Study, byte[] Plain, byte[] Blob, IReadOnlyDictionary<string, string> Md)>();
        foreach (var study in new[] { "doomed", "kept" })
        {
            using var key = await keyring.GetOrCreateStudyKeyAsync(study, TestContext.Current.CancellationToken);
            for (int i = 0; i < 3; i++)
            {
                var plain = TestKeys.Data(200, i);
                var (blob, md) = await Cse.EncryptAsync(plain, key, 64);
                instances.Add((study, plain, blob, md));
            }
        }

        // Simulate a backup/previous version of the entry: the store keeps history, which shred must remove too.
        var doc = await _store.GetAsync("studies/doomed.json", TestContext.Current.CancellationToken);
        await _store.TryReplaceAsync("studies/doomed.json", doc!.Content, doc.ETag, TestContext.Current.CancellationToken);

        var result = await keyring.ShredStudyAsync(new ShredRequest("doomed", "privacy-officer@example.org", "retention expired"), TestContext.Current.CancellationToken);
        Assert.True(result.KeyExisted);
        Assert.DoesNotContain(_store.History, h => h.Name == "studies/doomed.json");

        using var otherProcess = NewKeyring();
        foreach (var (study, plain, blob, md) in instances)
        {
            foreach (var resolverOwner in new[] { keyring, otherProcess })
            {
                if (study == "doomed")
                {
                    var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => Cse.DecryptAsync(blob, md, resolverOwner.StudyKeyResolver));
                    Assert.Equal(EnvelopeFailureReason.KeyDestroyed, ex.Reason);
                    Assert.Contains("key destroyed", ex.Message, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(plain, await Cse.DecryptAsync(blob, md, resolverOwner.StudyKeyResolver));
                }
            }
        }

        var shredded = Assert.Single(_audit.Events, e => e.Action == KeyAuditAction.StudyKeyShredded);
        Assert.Equal(("doomed", "privacy-officer@example.org", "retention expired", true), (shredded.StudyKey, shredded.Actor, shredded.Reason, shredded.Succeeded));
        var recreate = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetOrCreateStudyKeyAsync("doomed", TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.StudyShredded, recreate.Reason);
    }

    [Fact]
    public async Task Shredding_is_refused_under_legal_hold_and_the_refusal_is_audited()
    {
        using var keyring = NewKeyring();
        using var key = await keyring.GetOrCreateStudyKeyAsync("held", TestContext.Current.CancellationToken);
        var (blob, md) = await Cse.EncryptAsync(TestKeys.Data(50), key, 64);
        _holds.Held.Add("held");
        var ex = await Assert.ThrowsAsync<KeyringException>(() => keyring.ShredStudyAsync(new ShredRequest("held", "ops", "erasure"), TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.LegalHold, ex.Reason);
        Assert.Contains(_audit.Events, e => e.Action == KeyAuditAction.StudyKeyShredRefused && !e.Succeeded && e.StudyKey == "held");
        Assert.NotNull(await _store.GetAsync("studies/held.json", TestContext.Current.CancellationToken));
        Assert.Equal(TestKeys.Data(50), await Cse.DecryptAsync(blob, md, keyring.StudyKeyResolver));
    }

    [Fact]
    public async Task Shredding_an_unknown_study_is_recorded_and_reports_no_key()
    {
        using var keyring = NewKeyring();
        var result = await keyring.ShredStudyAsync(new ShredRequest("never", "ops", "test"), TestContext.Current.CancellationToken);
        Assert.False(result.KeyExisted);
        var ex = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetStudyKeyAsync("never", TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.StudyShredded, ex.Reason);
    }

    [Fact]
    public async Task A_study_that_never_existed_is_key_not_found_not_destroyed()
    {
        using var keyring = NewKeyring();
        var ex = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetStudyKeyAsync("ghost", TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.KeyNotFound, ex.Reason);
    }

    [Theory]
    [InlineData("../index-key")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("x y")]
    public async Task Invalid_study_keys_are_rejected(string studyKey)
    {
        using var keyring = NewKeyring();
        var ex = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetOrCreateStudyKeyAsync(studyKey, TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.InvalidName, ex.Reason);
    }

    [Fact]
    public async Task A_corrupt_entry_is_a_typed_error()
    {
        _store.Put("studies/bad.json", "{\"schema\":1}"u8.ToArray());
        using var keyring = NewKeyring();
        var ex = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetStudyKeyAsync("bad", TestContext.Current.CancellationToken));
        Assert.Equal(KeyringFailureReason.CorruptEntry, ex.Reason);
    }

    [Fact]
    public async Task The_index_key_is_created_once_and_names_are_deterministic_opaque_base32()
    {
        using var a = NewKeyring();
        using var b = NewKeyring();
        using var namerA = await a.GetIndexKeyNamerAsync(TestContext.Current.CancellationToken);
        using var namerB = await b.GetIndexKeyNamerAsync(TestContext.Current.CancellationToken);
        const string uid = "1.2.840.113619.2.55.3.604688119.969.1268071029.320";
        var name = namerA.NameFor(uid);
        Assert.Equal(name, namerB.NameFor(uid));
        Assert.Matches("^[a-z2-7]{26}$", name);
        Assert.NotEqual(name, namerA.NameFor(uid + "1"));
        Assert.Equal(1, _store.Creates);
        Assert.Contains(_audit.Events, e => e.Action == KeyAuditAction.IndexKeyCreated);
    }

    [Fact]
    public void Opaque_names_are_base32_of_hmac_sha256_truncated_to_26()
    {
        var indexKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using var namer = new OpaqueKeyNamer(indexKey);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(indexKey, "1.2.3"u8);
        Assert.Equal(Rfc4648Base32(mac)[..26].ToLowerInvariant(), namer.NameFor("1.2.3"));
        Assert.Equal("mzxw6ytboi", OpaqueKeyNamer.Base32("foobar"u8)); // RFC 4648 §10 without padding
    }

    private static string Rfc4648Base32(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(data.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        bits = bits.PadRight((bits.Length + 4) / 5 * 5, '0');
        return string.Concat(Enumerable.Range(0, bits.Length / 5).Select(i => alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
    }

    private sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
    {
        public void Report(T value) => onReport(value);
    }
}
