using OneMap.Ingest.Privacy;

namespace OneMap.Ingest.Tests.Privacy;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("+86 138-1234-5678", "+86 1**-****-5678")]
    [InlineData("0594-2692101", "059*-***2101")]
    [InlineData("350302199001011234", "350302********1234")]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    public void masks_phones_ids_and_names_for_display(string clear, string masked) => Assert.Equal(masked, PersonalData.Mask(clear));

    [Fact]
    public void hashes_the_same_person_alike_and_differently_under_another_key()
    {
        var a = new PersonalData("key-one-0123456789abcdef");
        var b = new PersonalData("key-two-0123456789abcdef");

        Assert.Equal(a.Hash("13812345678"), a.Hash("+86 138 1234 5678"));
        Assert.NotEqual(a.Hash("13812345678"), a.Hash("13812345679"));
        Assert.NotEqual(a.Hash("13812345678"), b.Hash("13812345678"));
        Assert.Null(a.Hash("  "));
    }

    [Fact]
    public void scrubs_phone_and_id_numbers_out_of_free_text()
    {
        var text = PersonalData.Scrub("来电人13812345678反映，身份证号35030219900101123X，门牌号12号");

        Assert.Equal("来电人138****5678反映，身份证号350302********123X，门牌号12号", text);
    }

    [Fact]
    public void refuses_a_short_key() => Assert.Throws<ArgumentException>(() => new PersonalData("short"));
}
