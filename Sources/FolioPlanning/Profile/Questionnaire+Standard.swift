// Generated from Examples/Data/questionnaire.yaml (branch data); keep the two equal.
// The file layer reads the YAML into the same type and a test there checks equality.
// Four answer texts contain a comma inside an unquoted YAML flow mapping ({..., text: a, b}),
// which YAML parses as the text before the comma plus a stray key: the YAML must quote them
// (reported); the full sentences are kept here.

extension Questionnaire {
    /// Folio's bundled default risk-tolerance questionnaire (`folio-default`, version 1): ten
    /// questions written for Folio, six on willingness and four on capacity, with five category
    /// thresholds at 0, 20, 40, 60 and 80. Its content equals `Examples/Data/questionnaire.yaml`.
    ///
    /// The most risk-seeking answers score 99 on willingness (the coin flip tops out at 9) and
    /// 100 on capacity (aggressive); the most cautious score 2 on willingness (the coin-flip and
    /// experience questions start at 1) and 0 on capacity (conservative).
    public static let standard = Questionnaire(
        id: "folio-default", version: 1, title: "Folio default risk-tolerance questionnaire",
        categories: [
            CategoryThreshold(.conservative, minimumScore: 0),
            CategoryThreshold(.moderatelyConservative, minimumScore: 20),
            CategoryThreshold(.moderate, minimumScore: 40),
            CategoryThreshold(.moderatelyAggressive, minimumScore: 60),
            CategoryThreshold(.aggressive, minimumScore: 80),
        ],
        questions: [
            Question(
                id: "reaction-to-decline", dimension: .willingness, weight: 3,
                text: "Markets fall broadly and, over three months, your portfolio loses a fifth of its value. Nothing about your own situation has changed. What are you most likely to do?",
                answers: [
                    Answer(id: "a", score: 0, text: "Move everything to cash so it cannot fall further"),
                    Answer(id: "b", score: 3, text: "Sell part of it and wait for things to settle"),
                    Answer(id: "c", score: 7, text: "Leave it alone and stick to the plan"),
                    Answer(id: "d", score: 10, text: "Add money while prices are lower"),
                ]),
            Question(
                id: "range-of-outcomes", dimension: .willingness, weight: 2,
                text: "Here are five ways a $100,000 portfolio might end a single year, each shown as a bad year and a good year. Which range would you choose to live with?",
                answers: [
                    Answer(id: "a", score: 0, text: "Between $98,000 and $105,000"),
                    Answer(id: "b", score: 3, text: "Between $93,000 and $110,000"),
                    Answer(id: "c", score: 5, text: "Between $88,000 and $116,000"),
                    Answer(id: "d", score: 8, text: "Between $81,000 and $124,000"),
                    Answer(id: "e", score: 10, text: "Between $72,000 and $133,000"),
                ]),
            Question(
                id: "describe-yourself", dimension: .willingness, weight: 2,
                text: "Which sentence sounds most like you when you think about investing?",
                answers: [
                    Answer(id: "a", score: 0, text: "Protecting what I have matters more than making it grow"),
                    Answer(id: "b", score: 3, text: "I accept small dips for slightly better growth"),
                    Answer(id: "c", score: 6, text: "I want a balance between growth and steadiness"),
                    Answer(id: "d", score: 8, text: "Growth comes first; I can sit through bad years"),
                    Answer(id: "e", score: 10, text: "I want the most growth and shrug off large swings"),
                ]),
            Question(
                id: "coin-flip", dimension: .willingness, weight: 1,
                text: "You may take a guaranteed $2,000, or flip a coin: heads pays $5,000, tails pays nothing. Which do you take?",
                answers: [
                    Answer(id: "a", score: 1, text: "The guaranteed $2,000"),
                    Answer(id: "b", score: 5, text: "It depends on my mood that day"),
                    Answer(id: "c", score: 9, text: "The coin flip"),
                ]),
            Question(
                id: "checking-habit", dimension: .willingness, weight: 1,
                text: "After a month in which your portfolio fell 8%, how would you feel opening the statement?",
                answers: [
                    Answer(id: "a", score: 0, text: "Anxious enough to lose sleep over it"),
                    Answer(id: "b", score: 4, text: "Uneasy, and I would call my advisor"),
                    Answer(id: "c", score: 7, text: "Disappointed but calm"),
                    Answer(id: "d", score: 10, text: "Unbothered; that is what markets do"),
                ]),
            Question(
                id: "investing-experience", dimension: .willingness, weight: 1,
                text: "How much experience do you have holding investments whose value moves daily?",
                answers: [
                    Answer(id: "a", score: 1, text: "None; savings accounts and CDs only"),
                    Answer(id: "b", score: 4, text: "A workplace plan I rarely look at"),
                    Answer(id: "c", score: 7, text: "Several years of funds or stocks, through at least one bad year"),
                    Answer(id: "d", score: 10, text: "Many years, including a large decline I held through"),
                ]),
            Question(
                id: "time-until-withdrawals", dimension: .capacity, weight: 3,
                text: "When do you expect to start taking substantial withdrawals from this money?",
                answers: [
                    Answer(id: "a", score: 0, text: "Within 3 years"),
                    Answer(id: "b", score: 3, text: "In 3 to 5 years"),
                    Answer(id: "c", score: 6, text: "In 6 to 10 years"),
                    Answer(id: "d", score: 8, text: "In 11 to 20 years"),
                    Answer(id: "e", score: 10, text: "More than 20 years from now"),
                ]),
            Question(
                id: "income-security", dimension: .capacity, weight: 2,
                text: "How secure is your household's income over the next five years?",
                answers: [
                    Answer(id: "a", score: 0, text: "Uncertain, or we rely on this portfolio for income"),
                    Answer(id: "b", score: 4, text: "Somewhat secure; a job change or slowdown would hurt"),
                    Answer(id: "c", score: 7, text: "Secure, from a stable salary or a pension"),
                    Answer(id: "d", score: 10, text: "Very secure, with several independent sources"),
                ]),
            Question(
                id: "emergency-savings", dimension: .capacity, weight: 1,
                text: "Outside this portfolio, how many months of essential expenses could you cover?",
                answers: [
                    Answer(id: "a", score: 0, text: "Less than one month"),
                    Answer(id: "b", score: 3, text: "One to three months"),
                    Answer(id: "c", score: 6, text: "Three to six months"),
                    Answer(id: "d", score: 10, text: "More than six months"),
                ]),
            Question(
                id: "annual-withdrawal-rate", dimension: .capacity, weight: 2,
                text: "Over the next five years, what share of this portfolio do you expect to withdraw each year?",
                answers: [
                    Answer(id: "a", score: 0, text: "More than 6%"),
                    Answer(id: "b", score: 3, text: "4% to 6%"),
                    Answer(id: "c", score: 6, text: "1% to 4%"),
                    Answer(id: "d", score: 10, text: "Nothing; I am still adding money"),
                ]),
        ])
}
