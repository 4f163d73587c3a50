using System.Text;

namespace OneMap.Simulator.Output;

/// <summary>The encodings departments save files in.</summary>
public static class TextEncodings
{
    static TextEncodings()
    {
        // GB18030 lives in the code-pages provider (part of the shared framework), registered once.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>UTF-8 without a byte-order mark.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>UTF-8 with a byte-order mark, as Excel writes "CSV UTF-8".</summary>
    public static Encoding Utf8Bom { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>GB18030, the Chinese national encoding (what Excel on a Chinese Windows writes as "CSV").</summary>
    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");
}
