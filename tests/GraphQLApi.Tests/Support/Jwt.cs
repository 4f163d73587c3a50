using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OneMap.GraphQLApi.Tests.Support;

/// <summary>Makes JWTs the way an identity provider would (compact JWS, HS256 or RS256), for the validator to judge.</summary>
public static class Jwt
{
    public static string Hs256(string secret, object claims, object? header = null) =>
        Sign(header ?? new { alg = "HS256", typ = "JWT" }, claims, data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));

    public static string Rs256(RSA key, object claims, object? header = null) =>
        Sign(header ?? new { alg = "RS256", typ = "JWT" }, claims, data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Unsigned(object claims) => Part(new { alg = "none", typ = "JWT" }) + "." + Part(claims) + ".";

    public static long Now(TimeSpan offset) => DateTimeOffset.UtcNow.Add(offset).ToUnixTimeSeconds();

    private static string Sign(object header, object claims, Func<byte[], byte[]> sign)
    {
        var signed = Part(header) + "." + Part(claims);
        return signed + "." + Base64Url(sign(Encoding.ASCII.GetBytes(signed)));
    }

    private static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
