using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.Options;

namespace OneMap.GraphQLApi.Security;

/// <summary>
/// Validates JWT bearer tokens (RFC 7519, JWS compact form) signed with HS256 (a shared secret) or RS256 (an RSA public
/// key), as configured: the algorithm must be one OneMap holds a key for (never <c>none</c>, never HS256 with the RSA
/// key), the signature must verify, <c>exp</c> must be in the future and <c>nbf</c> in the past (with a small clock
/// skew), and <c>iss</c>/<c>aud</c> must match when configured. The role and department come from claims.
/// </summary>
public sealed class JwtValidator : IDisposable
{
    private readonly JwtOptions options;
    private readonly TimeProvider time;
    private readonly byte[]? hmacKey;
    private readonly RSA? rsa;

    public JwtValidator(IOptions<SecurityOptions> options, TimeProvider? time = null)
    {
        this.options = options.Value.Jwt;
        this.time = time ?? TimeProvider.System;
        if (!string.IsNullOrEmpty(this.options.HmacSecret))
        {
            hmacKey = Encoding.UTF8.GetBytes(this.options.HmacSecret);
            if (hmacKey.Length < 32)
            {
                throw new OptionsValidationException("Security:Jwt:HmacSecret", typeof(JwtOptions), ["Security:Jwt:HmacSecret must be at least 32 bytes (256 bits) for HS256"]);
            }
        }
        if (!string.IsNullOrEmpty(this.options.RsaPublicKey))
        {
            var pem = this.options.RsaPublicKey.Contains("-----BEGIN", StringComparison.Ordinal) ? this.options.RsaPublicKey : File.ReadAllText(this.options.RsaPublicKey);
            rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
            }
            catch (ArgumentException e)
            {
                throw new OptionsValidationException("Security:Jwt:RsaPublicKey", typeof(JwtOptions), [$"Security:Jwt:RsaPublicKey is not an RSA public key in PEM: {e.Message}"]);
            }
        }
    }

    public bool Enabled => hmacKey is not null || rsa is not null;

    /// <summary>The caller a token stands for, or the reason it is refused.</summary>
    public (Caller? Caller, string? Problem) Validate(string token)
    {
        if (!Enabled)
        {
            return (null, "bearer tokens are not accepted here (no JWT key is configured)");
        }
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, "the token is not a signed JWT (header.payload.signature)");
        }
        JsonElement header, payload;
        byte[] signature;
        try
        {
            header = ParseJson(parts[0]);
            payload = ParseJson(parts[1]);
            signature = Base64UrlDecode(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (null, "the token is not valid base64url JSON");
        }
        var alg = header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        switch (alg)
        {
            case "HS256" when hmacKey is not null:
                var expected = HMACSHA256.HashData(hmacKey, signed);
                if (!CryptographicOperations.FixedTimeEquals(expected, signature))
                {
                    return (null, "the token's signature does not verify");
                }
                break;
            case "RS256" when rsa is not null:
                if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                {
                    return (null, "the token's signature does not verify");
                }
                break;
            default:
                return (null, $"the token's algorithm '{alg}' is not accepted (configured: {string.Join(", ", Accepted())})");
        }
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return (null, "the token's payload is not a JSON object");
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)options.ClockSkew.TotalSeconds;
        if (!TryNumber(payload, "exp", out var exp))
        {
            return (null, "the token has no expiry (exp)");
        }
        if (now > exp + skew)
        {
            return (null, "the token has expired");
        }
        if (TryNumber(payload, "nbf", out var nbf) && now + skew < nbf)
        {
            return (null, "the token is not valid yet (nbf)");
        }
        if (options.Issuer is { } issuer && (!payload.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String || iss.GetString() != issuer))
        {
            return (null, "the token's issuer is not accepted");
        }
        if (options.Audience is { } audience && !HasAudience(payload, audience))
        {
            return (null, "the token is not meant for this API (aud)");
        }
        var subject = Text(payload, "sub");
        if (string.IsNullOrEmpty(subject))
        {
            return (null, "the token has no subject (sub)");
        }
        if (!ApiRoles.TryParse(Text(payload, options.RoleClaim), out var role))
        {
            return (null, $"the token's {options.RoleClaim} claim is not public, analyst, department or admin");
        }
        var department = Text(payload, options.DepartmentClaim);
        if (role == ApiRole.Department && string.IsNullOrWhiteSpace(department))
        {
            return (null, $"a department token needs the {options.DepartmentClaim} claim");
        }
        return (new Caller(subject, Text(payload, "name") ?? subject, role, role == ApiRole.Department ? department : null, "jwt"), null);
    }

    private IEnumerable<string> Accepted()
    {
        if (hmacKey is not null)
        {
            yield return "HS256";
        }
        if (rsa is not null)
        {
            yield return "RS256";
        }
    }

    private static bool HasAudience(JsonElement payload, string audience)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }
        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == audience),
            _ => false,
        };
    }

    private static string? Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryNumber(JsonElement payload, string name, out long value)
    {
        value = 0;
        return payload.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    private static JsonElement ParseJson(string part)
    {
        using var document = JsonDocument.Parse(Base64UrlDecode(part));
        return document.RootElement.Clone();
    }

    internal static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    public void Dispose() => rsa?.Dispose();
}
