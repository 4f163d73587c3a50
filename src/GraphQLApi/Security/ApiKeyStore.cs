using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using OneMap.GraphQLApi.Hosting;

namespace OneMap.GraphQLApi.Security;

/// <summary>A stored API key: never the key itself, only its SHA-256.</summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Role { get; init; }

    public string? Department { get; init; }

    /// <summary>SHA-256 of the whole key, hex.</summary>
    public required string Hash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? CreatedBy { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A key just created: the only moment its text exists outside the caller's hands.</summary>
public sealed record CreatedApiKey(ApiKeyRecord Record, string Key);

/// <summary>
/// API keys (<c>om_&lt;id&gt;_&lt;secret&gt;</c>, 192 random bits) kept as hashes in the state file
/// <c>&lt;lake&gt;/_onemap/api-keys.json</c>. The embedded default is never open: at first start, if no admin key
/// exists, one is created and its text is printed once. Other replicas sharing the lake see new keys within a second.
/// </summary>
public sealed class ApiKeyStore
{
    public const string FileName = "api-keys.json";
    private const string Prefix = "om_";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly StateFolder state;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private Dictionary<string, ApiKeyRecord> keys = new(StringComparer.Ordinal);
    private DateTime loadedWriteTime;
    private long lastCheck;

    public ApiKeyStore(StateFolder state, TimeProvider? time = null)
    {
        this.state = state;
        this.time = time ?? TimeProvider.System;
        Load();
    }

    public string Path => state.FilePath(FileName);

    public IReadOnlyList<ApiKeyRecord> List()
    {
        ReloadIfChanged(force: true);
        lock (gate)
        {
            return keys.Values.OrderBy(k => k.CreatedAt).ToList();
        }
    }

    /// <summary>The caller a key stands for, or null for an unknown, malformed or revoked key.</summary>
    public Caller? Authenticate(string key)
    {
        if (!TryParseId(key, out var id))
        {
            return null;
        }
        ReloadIfChanged(force: false);
        ApiKeyRecord? record;
        lock (gate)
        {
            keys.TryGetValue(id, out record);
        }
        if (record is null)
        {
            // A key made by another replica a moment ago: look at the file once more.
            ReloadIfChanged(force: true);
            lock (gate)
            {
                keys.TryGetValue(id, out record);
            }
        }
        if (record is null || record.RevokedAt is not null || !ApiRoles.TryParse(record.Role, out var role))
        {
            return null;
        }
        var expected = Convert.FromHexString(record.Hash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? new Caller(record.Id, record.Name, role, record.Department, "api-key") : null;
    }

    /// <summary>Creates a key; its text is returned once and never stored.</summary>
    public CreatedApiKey Create(string name, ApiRole role, string? department, string? createdBy)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ApiArgumentException("name", "must be 1 to 200 characters");
        }
        if (role == ApiRole.Department && string.IsNullOrWhiteSpace(department))
        {
            throw new ApiArgumentException("department", "a department key needs the department's code");
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(24));
        return new CreatedApiKey(Install(id, key, name, role, department, createdBy), key);
    }

    /// <summary>Revokes a key; true when it existed and was active.</summary>
    public bool Revoke(string id)
    {
        lock (gate)
        {
            ReloadLocked();
            if (!keys.TryGetValue(id, out var record) || record.RevokedAt is not null)
            {
                return false;
            }
            keys[id] = record with { RevokedAt = time.GetUtcNow() };
            SaveLocked();
            return true;
        }
    }

    /// <summary>
    /// Makes sure an admin can get in: when no active admin key exists, installs <paramref name="bootstrapKey"/> (if
    /// given) or creates a key. Returns the created key's text (to print once), or null when nothing was created.
    /// </summary>
    public CreatedApiKey? EnsureAdminKey(string? bootstrapKey)
    {
        lock (gate)
        {
            ReloadLocked();
            if (keys.Values.Any(k => k.RevokedAt is null && k.Role == ApiRole.Admin.Name()))
            {
                return null;
            }
        }
        if (!string.IsNullOrEmpty(bootstrapKey))
        {
            if (bootstrapKey.Length < 24)
            {
                throw new ArgumentException("Security:BootstrapAdminKey must be at least 24 characters", nameof(bootstrapKey));
            }
            var id = TryParseId(bootstrapKey, out var given) ? given : "bootstrap";
            Install(id, bootstrapKey, "bootstrap admin", ApiRole.Admin, null, "configuration");
            return null;
        }
        return Create("first-start admin", ApiRole.Admin, null, "first start");
    }

    private ApiKeyRecord Install(string id, string key, string name, ApiRole role, string? department, string? createdBy)
    {
        var record = new ApiKeyRecord
        {
            Id = id,
            Name = name.Trim(),
            Role = role.Name(),
            Department = role == ApiRole.Department ? department?.Trim() : null,
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        lock (gate)
        {
            ReloadLocked();
            keys[id] = record;
            SaveLocked();
        }
        return record;
    }

    private static bool TryParseId(string key, out string id)
    {
        id = "";
        if (key.Length is < 24 or > 200)
        {
            return false;
        }
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // A configured bootstrap key may have any form; it is stored under this id.
            id = "bootstrap";
            return true;
        }
        var end = key.IndexOf('_', Prefix.Length);
        if (end <= Prefix.Length)
        {
            return false;
        }
        id = key[Prefix.Length..end];
        return true;
    }

    private void ReloadIfChanged(bool force)
    {
        var now = Environment.TickCount64;
        if (!force && now - Interlocked.Read(ref lastCheck) < 1000)
        {
            return;
        }
        Interlocked.Exchange(ref lastCheck, now);
        lock (gate)
        {
            ReloadLocked();
        }
    }

    private void Load()
    {
        lock (gate)
        {
            ReloadLocked();
        }
    }

    private void ReloadLocked()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return;
        }
        if (info.LastWriteTimeUtc == loadedWriteTime && keys.Count > 0)
        {
            return;
        }
        var stored = JsonSerializer.Deserialize<List<ApiKeyRecord>>(File.ReadAllText(Path), Json) ?? [];
        keys = stored.ToDictionary(k => k.Id, StringComparer.Ordinal);
        loadedWriteTime = info.LastWriteTimeUtc;
    }

    private void SaveLocked()
    {
        state.WriteText(FileName, JsonSerializer.Serialize(keys.Values.OrderBy(k => k.CreatedAt).ToList(), Json));
        loadedWriteTime = new FileInfo(Path).LastWriteTimeUtc;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
