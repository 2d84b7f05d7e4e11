/// Stop words per language, already folded (no accents), in the spirit of the Snowball
/// stop lists: articles, prepositions, pronouns, auxiliaries, conjunctions. Short on purpose:
/// a word missing here only costs index space, a word wrongly here can never be found.
/// A query word that is a stop word in any of these languages is dropped from the query (see
/// `QueryWord`), so words that matter in another language (`war`, `era`) are left out.
enum StopWords {
    static func contains(_ word: String, language: Language) -> Bool {
        switch language {
        case .en: english.contains(word)
        case .es: spanish.contains(word)
        case .ca: catalan.contains(word)
        case .it: italian.contains(word)
        case .fr: french.contains(word)
        case .de: german.contains(word)
        case .pt: portuguese.contains(word)
        case .other: false
        }
    }

    private static func set(_ words: String) -> Set<String> {
        Set(words.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    static let english = set("""
        a about above after again against all am an and any are as at be because been before being \
        below between both but by can could did do does doing down during each few for from further \
        had has have having he her here hers herself him himself his how i if in into is it its itself \
        just me more most my myself no nor not now of off on once only or other our ours ourselves out \
        over own same she should so some such than that the their theirs them themselves then there \
        these they this those through to too under until up very was we were what when where which \
        while who whom why will with would you your yours yourself yourselves
        """)

    static let spanish = set("""
  a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e \
  el ella ellas ellos en entre es esa esas ese eso esos esta estaba estan estas este \
  esto estos fue fueron ha han hasta hay la las le les lo los mas me mi mis mucho muy nada ni no \
  nos nosotros o os otra otras otro otros para pero poco por porque que quien se sea ser si sin \
  sobre su sus tambien te tiene tienen todo todos tu tus un una unas uno unos y ya yo
  """)

    static let catalan = set("""
  a al als amb aquell aquella aquelles aquells aquest aquesta aquestes aquests cap com d de del \
  dels des el els en entre es esta i l la les li lo los ma mes meu n na ni no o on pel pels \
  per perque pero que qui s sa se sense ses si sobre son sou te tambe tot tots un una unes uns va \
   y ja jo
  """)

    static let italian = set("""
  a ad agli ai al alla alle allo anche che chi ci coi col come con cui d da dagli dai dal dalla \
  dalle dallo degli dei del della delle dello di e ed gli ha hanno i il in l la le lo \
  loro ma mi ne negli nei nel nella nelle nello noi non o per perche piu quale quando quella \
  quelle quello questa queste questo se si sia sono su sua sue sugli sui sul sulla sulle sullo \
  suo suoi tra tu un una uno vi voi
  """)

    static let french = set("""
        a ai au aux avec ce ces d dans de des du elle en est et eux il ils j je l la le les leur \
        leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s \
        sa se ses son sont sur t ta te tes toi ton tu un une vos votre vous y
        """)

    static let german = set("""
    aber als am an auch auf aus bei bin bis da das dass dem den der des die doch du ein eine \
    einem einen einer eines er es fur hat ich ihr im in ist ja kann mit nach nicht noch nur oder \
    sich sie sind so uber um und uns von vor was wie wir wird zu zum zur
    """)

    static let portuguese = set("""
    a ao aos as com como da das de do dos e ela elas ele eles em entre essa esse esta este \
    eu foi ha isso isto ja mais mas me na nas nao no nos o os ou para pela pelas pelo pelos por \
    que se sem ser seu seus sua suas tambem te um uma umas uns
    """)
}
