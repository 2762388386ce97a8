import Testing

@testable import SCIM

/// An xsd:dateTime text with the instant it stands for, in seconds since the Unix epoch.
struct DateTimeCase: Sendable, CustomTestStringConvertible {
    let text: String
    let seconds: Double

    var testDescription: String { text }
}

@Suite("SCIMDateTime")
struct SCIMDateTimeTests {
    /// 2011-05-13T04:42:34Z, the instant of the RFC 7644 §3.4.2.2 examples.
    static let rfcInstant = 1_305_261_754.0

    static let validCases: [DateTimeCase] = [
        DateTimeCase(text: "1970-01-01T00:00:00Z", seconds: 0),
        DateTimeCase(text: "1970-01-02T00:00:00Z", seconds: 86_400),
        DateTimeCase(text: "1969-12-31T23:59:59Z", seconds: -1),
        DateTimeCase(text: "2000-02-29T00:00:00Z", seconds: 951_782_400),
        DateTimeCase(text: "2000-03-01T00:00:00Z", seconds: 951_868_800),
        DateTimeCase(text: "2038-01-19T03:14:08Z", seconds: 2_147_483_648),
        DateTimeCase(text: "1600-03-01T00:00:00Z", seconds: -11_670_912_000),
        DateTimeCase(text: "2011-05-13T04:42:34Z", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34z", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13t04:42:34Z", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34+00:00", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34-00:00", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T06:42:34+02:00", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-12T23:42:34-05:00", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T10:12:34+05:30", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T18:42:34+14:00", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T06:42:34+0200", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34.5Z", seconds: rfcInstant + 0.5),
        DateTimeCase(text: "2011-05-13T04:42:34.000Z", seconds: rfcInstant),
        DateTimeCase(text: "2011-05-13T04:42:34.123456789Z", seconds: rfcInstant + 0.123_456_789),
        DateTimeCase(text: "2015-10-10T14:38:21.8617979-07:00", seconds: 1_444_513_101.861_797_9),
        DateTimeCase(text: "2011-05-13", seconds: 1_305_244_800),
        DateTimeCase(text: "2011-05-13T24:00:00Z", seconds: 1_305_331_200),
    ]

    @Test(arguments: validCases)
    func validDateTimeGivesItsInstant(_ example: DateTimeCase) throws {
        let instant = try #require(SCIMDateTime.instant(example.text))
        #expect(abs(instant - example.seconds) < 1e-6, "\(example.text) gave \(instant), expected \(example.seconds)")
    }

    @Test func knownEpochValuesAreExact() {
        #expect(SCIMDateTime.instant("1970-01-02T00:00:00Z") == 86_400)
        #expect(SCIMDateTime.instant("2000-03-01T00:00:00Z") == 951_868_800)
        #expect(SCIMDateTime.instant("1970-01-01T00:00:00Z") == 0)
    }

    static let invalidTexts: [String] = [
        "",
        " ",
        "not a date",
        "2011",
        "2011-05",
        "11-05-13",
        "2011-5-13",
        "2011/05/13",
        "2011-05-13T",
        "2011-05-13T04:42",
        "2011-05-13T04:42Z",
        "2011-05-13T4:42:34Z",
        "2011-05-13T04:42:34.Z",
        "2011-05-13T04:42:34Zjunk",
        "2011-05-13T04:42:34ZZ",
        "2011-05-13T04:42:34 Z",
        "2011-05-13T04:42:34+02",
        "2011-05-13T04:42:34+2:00",
        "2011-05-13T04:42:34+15:00",
        "2011-05-13T04:42:34+02:60",
        "2011-05-13T04:42:34+02:00Z",
        "2011-05-13T04:42:34EST",
        "2011-00-13T04:42:34Z",
        "2011-13-13T04:42:34Z",
        "2011-05-00T04:42:34Z",
        "2011-05-32T04:42:34Z",
        "2011-05-13T25:00:00Z",
        "2011-05-13T04:60:00Z",
        "2011-05-13T04:42:61Z",
        "2011-02-30T00:00:00Z",
        "2011-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2011-04-31T00:00:00Z",
        "2011-06-31",
        "2011-05-13T24:30:00Z",
        "2011-05-13T24:00:01Z",
        "2011-05-13T24:00:00.5Z",
        "２０１１-05-13T04:42:34Z",
        "2011-05-13T04:42:34Z\n",
    ]

    @Test(arguments: invalidTexts)
    func invalidTextHasNoInstant(_ text: String) {
        #expect(SCIMDateTime.instant(text) == nil)
    }

    @Test func leapDaysOfLeapYearsAreValid() {
        #expect(SCIMDateTime.instant("2000-02-29") != nil)
        #expect(SCIMDateTime.instant("2024-02-29T12:00:00Z") != nil)
        #expect(SCIMDateTime.instant("1600-02-29") != nil)
    }

    @Test func sameInstantInDifferentZonesIsEqual() throws {
        let utc = try #require(SCIMDateTime.instant("2011-05-13T04:42:34Z"))
        let plusTwo = try #require(SCIMDateTime.instant("2011-05-13T06:42:34+02:00"))
        let minusSeven = try #require(SCIMDateTime.instant("2011-05-12T21:42:34-07:00"))
        #expect(utc == plusTwo)
        #expect(utc == minusSeven)
    }

    @Test func sameFractionalInstantInDifferentZonesIsExactlyEqual() throws {
        let pacific = try #require(SCIMDateTime.instant("2015-10-10T14:38:21.8617979-07:00"))
        let utc = try #require(SCIMDateTime.instant("2015-10-10T21:38:21.8617979Z"))
        let india = try #require(SCIMDateTime.instant("2015-10-11T03:08:21.8617979+05:30"))
        #expect(pacific == utc)
        #expect(india == utc)
    }

    @Test func fractionalInstantIsIndependentOfTheZoneItIsWrittenIn() throws {
        let fractions = ["1", "25", "3", "5", "75", "8617979", "999999", "123456789", "0000001"]
        for fraction in fractions {
            let utc = try #require(SCIMDateTime.instant("2015-10-10T12:00:00.\(fraction)Z"))
            for offsetMinutes in stride(from: -12 * 60, through: 14 * 60, by: 15) {
                let local = 12 * 60 + offsetMinutes
                let day = local < 0 ? 9 : (local >= 24 * 60 ? 11 : 10)
                let minutesOfDay = (local + 24 * 60) % (24 * 60)
                let sign = offsetMinutes < 0 ? "-" : "+"
                let zone = sign + twoDigits(abs(offsetMinutes) / 60) + ":" + twoDigits(abs(offsetMinutes) % 60)
                let text = "2015-10-\(twoDigits(day))T\(twoDigits(minutesOfDay / 60)):\(twoDigits(minutesOfDay % 60)):00.\(fraction)\(zone)"
                #expect(SCIMDateTime.instant(text) == utc, "\(text)")
            }
        }
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test func instantsOrderChronologically() throws {
        let earlier = try #require(SCIMDateTime.instant("2011-05-13T06:00:00+02:00"))
        let later = try #require(SCIMDateTime.instant("2011-05-13T05:00:00Z"))
        #expect(earlier < later)
        let beforeFraction = try #require(SCIMDateTime.instant("2011-05-13T04:42:34.1Z"))
        let afterFraction = try #require(SCIMDateTime.instant("2011-05-13T04:42:34.2Z"))
        #expect(beforeFraction < afterFraction)
        let negativeYear = try #require(SCIMDateTime.instant("-0001-01-01T00:00:00Z"))
        let yearOne = try #require(SCIMDateTime.instant("0001-01-01T00:00:00Z"))
        #expect(negativeYear < yearOne)
    }

    @Test func daysFromCivilMatchesKnownDates() {
        #expect(SCIMDateTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(SCIMDateTime.daysFromCivil(year: 1970, month: 1, day: 2) == 1)
        #expect(SCIMDateTime.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        #expect(SCIMDateTime.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        #expect(SCIMDateTime.daysFromCivil(year: 1600, month: 3, day: 1) == -135_080)
    }
}
