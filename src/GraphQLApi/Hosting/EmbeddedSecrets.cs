using System.Security.Cryptography;

using Microsoft.Extensions.Logging;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>
/// Secrets the embedded default needs and nobody configured, generated once and kept in the state folder (owner-only):
/// the key of the personal-data hashes, so that ingest can run on a fresh clone with nothing else.
/// </summary>
public static class EmbeddedSecrets
{
    public const string PersonalDataKeyFile = "personal-data.key";

    /// <summary>The personal-data key kept under the lake, created on first use.</summary>
    public static string PersonalDataKey(StateFolder state, ILogger logger)
    {
        lock (typeof(EmbeddedSecrets))
        {
            var existing = state.ReadText(PersonalDataKeyFile)?.Trim();
            if (!string.IsNullOrEmpty(existing))
            {
                return existing;
            }
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            state.WriteText(PersonalDataKeyFile, key);
            Log.PersonalDataKeyGenerated(logger, state.FilePath(PersonalDataKeyFile));
            return key;
        }
    }
}
